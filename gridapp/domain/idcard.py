"""Resident ID numbers (居民身份证号码, GB 11643-1999): checking and reading them.

An 18-character number is 6 digits of address code (the county at first
registration, GB/T 2260), 8 digits of birth date ``YYYYMMDD``, a 3-digit
order code (odd for men, even for women) and a check character: the
ISO 7064 MOD 11-2 sum of the first 17 digits with weights ``2^(17-i) mod 11``
(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2), mapped through ``10X98765432``.
Old 15-digit numbers (two-digit year, no check character) are upgraded to
18 characters by inserting ``19`` and computing the check.

Examples
--------
>>> check_char("11010519491231002")
'X'
>>> normalise(" 11010519491231002x ")
'11010519491231002X'
>>> problem("110105194912310021")
'check'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from operator import mul

from gridapp.errors import ValidationError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# First two digits: provinces, autonomous regions and municipalities (GB/T 2260),
# plus 71 Taiwan, 81 Hong Kong, 82 Macao and 83 (Taiwan residents' residence permits).
PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
    "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
    "63", "64", "65", "71", "81", "82", "83"})
EARLIEST_BIRTH = date(1850, 1, 1)

_MESSAGES = {
    "format": ("身份证号码应为 18 位（最后一位可为 X）或旧的 15 位数字",
               "An ID number has 18 characters (the last may be X) or, old style, 15 digits"),
    "region": ("身份证号码的地区码 {region} 不存在",
               "The ID number's region code {region} does not exist"),
    "birth": ("身份证号码中的出生日期 {birth} 无效", "The ID number's birth date {birth} is invalid"),
    "check": ("身份证号码校验位错误（应为 {expected}）",
              "The ID number's check character is wrong (should be {expected})"),
}


@dataclass(frozen=True)
class IdCard:
    number: str  # normalised, 18 characters
    birth: date
    male: bool
    region: str


def normalise(text: str | None) -> str:
    """Upper-case, without spaces; 15-digit numbers upgraded to 18 characters."""
    value = re.sub(r"\s+", "", str(text or "")).upper()
    if re.fullmatch(r"[0-9]{15}", value):
        body = value[:6] + "19" + value[6:]
        return body + check_char(body)
    return value


def check_char(first17: str) -> str:
    """The check character of the first 17 digits."""
    if len(first17) != 17:
        raise ValueError(first17)
    return CHECK_CHARS[sum(map(mul, map(int, first17), WEIGHTS)) % 11]


def _birth(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def problem(text: str | None, *, today: date | None = None) -> str | None:
    """What is wrong with an ID number (``format``, ``region``, ``birth``, ``check``), or None.

    *today* bounds the birth date (a birth after it is invalid); pass
    :func:`gridapp.domain.timeutil.today_local` from services.
    """
    number = normalise(text)
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return "format"
    if number[:2] not in PROVINCES:
        return "region"
    birth = _birth(number)
    if birth is None or birth < EARLIEST_BIRTH or (today is not None and birth > today):
        return "birth"
    if number[17] != check_char(number[:17]):
        return "check"
    return None


def parse(text: str | None, *, today: date | None = None) -> IdCard:
    """A checked ID number; raises :class:`ValidationError` saying what is wrong."""
    number = normalise(text)
    what = problem(number, today=today)
    if what is not None:
        zh, en = _MESSAGES[what]
        expected = check_char(number[:17]) if what == "check" else ""
        raise ValidationError(zh, en, reason=what, region=number[:6],
                              birth=number[6:14], expected=expected)
    return IdCard(number, _birth(number), int(number[16]) % 2 == 1,  # type: ignore[arg-type]
                  number[:6])


def is_valid(text: str | None, *, today: date | None = None) -> bool:
    return problem(text, today=today) is None


def age_on(card: IdCard, day: date) -> int:
    """Whole years of age on *day*."""
    return day.year - card.birth.year - ((day.month, day.day) < (card.birth.month,
                                                                  card.birth.day))


def normalise_many(texts: list[str | None]) -> list[str]:
    """:func:`normalise` of many numbers (the 18-character ones pass through cheaply)."""
    out = []
    for text in texts:
        value = str(text or "").upper()
        if len(value) != 18 or not value[:17].isdigit() or " " in value:
            value = normalise(value)
        out.append(value)
    return out


def problems_many(numbers: list[str], *, today: date | None = None) -> list[str | None]:
    """:func:`problem` of many *normalised* numbers at once (an import's column).

    The check characters of all well-formed numbers are computed in one
    vectorised sum; birth dates are checked per distinct date.

    Examples
    --------
    >>> problems_many(["11010519491231002X", "110105194912310021", "abc"])
    [None, 'check', 'format']
    """
    import numpy as np

    out: list[str | None] = [None] * len(numbers)
    good = [i for i, n in enumerate(numbers)
            if len(n) == 18 and n[:17].isascii() and n[:17].isdigit() and n[17] in "0123456789X"]
    for i in set(range(len(numbers))) - set(good):
        out[i] = "format"
    if not good:
        return out
    digits = np.frombuffer("".join(numbers[i][:17] for i in good).encode("ascii"),
                           dtype=np.uint8).reshape(-1, 17).astype(np.int64) - 48
    checks = (digits @ np.asarray(WEIGHTS, dtype=np.int64)) % 11
    births: dict[str, bool] = {}
    for k, i in enumerate(good):
        n = numbers[i]
        if n[:2] not in PROVINCES:
            out[i] = "region"
            continue
        ok = births.get(n[6:14])
        if ok is None:
            b = _birth(n)
            ok = births.setdefault(n[6:14], b is not None and b >= EARLIEST_BIRTH
                                   and (today is None or b <= today))
        if not ok:
            out[i] = "birth"
        elif n[17] != CHECK_CHARS[checks[k]]:
            out[i] = "check"
    return out
