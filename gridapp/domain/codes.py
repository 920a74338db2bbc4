"""Unit-grid codes (单元网格编码) and the codes they are built from.

A grid code has 15 digits: 6-digit county/district code (GB/T 2260), 3-digit
street code, 3-digit community code (together the 12-digit statistical
division code), and a 3-digit grid sequence numbered within its community
west to east, north to south (DESIGN §5).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gridapp.errors import ValidationError

_DIGITS = re.compile(r"^\d+$")


def _check_digits(value: str, n: int, what_zh: str, what_en: str) -> str:
    value = str(value).strip()
    if len(value) != n or not _DIGITS.match(value):
        raise ValidationError(
            "{what_zh}“{value}”应为{n}位数字",
            "{what_en} '{value}' must be {n} digits",
            what_zh=what_zh,
            what_en=what_en,
            value=value,
            n=n,
        )
    return value


def validate_district_code(code: str) -> str:
    """Check a 6-digit county-level division code (GB/T 2260)."""
    code = _check_digits(code, 6, "区县代码", "District code")
    if code[:2] not in _PROVINCES:
        raise ValidationError(
            "区县代码“{value}”的前两位不是有效的省级代码",
            "District code '{value}' does not start with a valid province code",
            value=code,
        )
    if code[2:] == "0000":
        raise ValidationError(
            "“{value}”是省级代码，不是区县代码",
            "'{value}' is a province code, not a district code",
            value=code,
        )
    return code


def validate_street_code(code: str) -> str:
    """Check a 9-digit street code (district + 3-digit street, 001–399)."""
    code = _check_digits(code, 9, "街道代码", "Street code")
    validate_district_code(code[:6])
    if not 1 <= int(code[6:]) <= 399:
        raise ValidationError(
            "街道代码“{value}”的街道序号应在001–399之间",
            "Street code '{value}': the street number must be 001–399",
            value=code,
        )
    return code


def validate_community_code(code: str) -> str:
    """Check a 12-digit community code (street + 3-digit community, 001–399)."""
    code = _check_digits(code, 12, "社区代码", "Community code")
    validate_street_code(code[:9])
    if not 1 <= int(code[9:]) <= 399:
        raise ValidationError(
            "社区代码“{value}”的社区序号应在001–399之间",
            "Community code '{value}': the community number must be 001–399",
            value=code,
        )
    return code


@dataclass(frozen=True, order=True)
class GridCode:
    """A validated 15-digit unit-grid code.

    Examples
    --------
    >>> c = GridCode.parse("520102003004012")
    >>> c.district, c.street, c.community, c.sequence
    ('520102', '003', '004', 12)
    >>> str(c.next())
    '520102003004013'
    """

    district: str
    street: str
    community: str
    sequence: int

    def __post_init__(self) -> None:
        validate_community_code(self.district + self.street + self.community)
        if not 1 <= self.sequence <= 999:
            raise ValidationError(
                "网格序号{value}应在1–999之间",
                "Grid number {value} must be between 1 and 999",
                value=self.sequence,
            )

    @classmethod
    def parse(cls, code: str) -> GridCode:
        code = _check_digits(code, 15, "网格编码", "Grid code")
        return cls(code[:6], code[6:9], code[9:12], int(code[12:]))

    @classmethod
    def in_community(cls, community_code: str, sequence: int) -> GridCode:
        community_code = validate_community_code(community_code)
        return cls(community_code[:6], community_code[6:9], community_code[9:], sequence)

    @property
    def community_code(self) -> str:
        return self.district + self.street + self.community

    def next(self) -> GridCode:
        return GridCode(self.district, self.street, self.community, self.sequence + 1)

    def __str__(self) -> str:
        return f"{self.district}{self.street}{self.community}{self.sequence:03d}"


def next_grid_code(community_code: str, existing: Sequence[str]) -> GridCode:
    """The next free code in a community: one past the highest used number."""
    used = [
        int(c[12:]) for c in existing if len(c) == 15 and c[:12] == community_code
    ]
    return GridCode.in_community(community_code, max(used, default=0) + 1)


def reading_order(xs: Sequence[float], ys: Sequence[float], row_height: float) -> list[int]:
    """Indices of points in numbering order: north to south by rows, west to east.

    Points whose y falls in the same band of *row_height* (projected metres)
    are one row, numbered west to east; rows go from north to south.
    """
    top = max(ys) if len(ys) else 0.0
    keys = [(int((top - y) // row_height), x, i) for i, (x, y) in enumerate(zip(xs, ys, strict=False))]
    return [i for _, _, i in sorted(keys)]


# GB/T 2260 province-level prefixes.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 "
    "54 61 62 63 64 65 71 81 82".split()
)
