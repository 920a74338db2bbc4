"""Per-feature checks for imported geometries and attributes.

Each check returns :class:`ImportProblem` items naming the feature (its
0-based position in the source) and the reason in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from gridapp import i18n
from gridapp.domain import codes
from gridapp.errors import ValidationError
from gridapp.services.importing.readers import CHINA_LAT, CHINA_LON


@dataclass(frozen=True)
class ImportProblem:
    """Something wrong with one feature (or the whole file when ``index`` is None).

    ``reason`` is a stable key (``invalid``, ``empty``, ``multipart``,
    ``not_polygon``, ``outside_china``, ``swapped_latlon``, ``unparsed``,
    ``missing_name``, ``bad_code``, ``duplicate_code``); ``blocking`` problems
    stop the import.
    """

    index: int | None
    reason: str
    zh: str
    en: str
    blocking: bool = True

    @property
    def message(self) -> str:
        return i18n.pick(self.zh, self.en)


def _inside(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (
        (x >= CHINA_LON[0]) & (x <= CHINA_LON[1]) & (y >= CHINA_LAT[0]) & (y <= CHINA_LAT[1])
    )


def check_geometries(geoms: np.ndarray) -> list[ImportProblem]:
    """Empty, invalid, outside China and swapped-lat/lon features.

    *geoms* must be longitude/latitude (source coordinates when the source is
    geographic, so that a swapped file is recognised before reprojection).
    """
    problems: list[ImportProblem] = []
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    for i in np.flatnonzero(missing):
        problems.append(
            ImportProblem(int(i), "empty", f"要素 {i}：几何为空", f"Feature {i}: empty geometry")
        )
    present = ~missing
    valid = np.ones(len(geoms), dtype=bool)
    valid[present] = shapely.is_valid(geoms[present])
    for i in np.flatnonzero(~valid):
        reason = shapely.is_valid_reason(geoms[i])
        problems.append(
            ImportProblem(
                int(i),
                "invalid",
                f"要素 {i}：几何无效（{reason}），如自相交",
                f"Feature {i}: invalid geometry ({reason})",
            )
        )
    bounds = np.full((len(geoms), 4), np.nan)
    bounds[present] = shapely.bounds(geoms[present])
    with np.errstate(invalid="ignore"):
        inside = _inside(bounds[:, 0], bounds[:, 1]) & _inside(bounds[:, 2], bounds[:, 3])
        swapped = _inside(bounds[:, 1], bounds[:, 0]) & _inside(bounds[:, 3], bounds[:, 2])
    for i in np.flatnonzero(present & ~inside):
        if swapped[i]:
            problems.append(
                ImportProblem(
                    int(i),
                    "swapped_latlon",
                    f"要素 {i}：经纬度似乎颠倒了（纬度 {bounds[i, 0]:.4f} 在经度的位置）；"
                    "请交换 X/Y 列或坐标轴顺序",
                    f"Feature {i}: latitude and longitude seem swapped (latitude "
                    f"{bounds[i, 0]:.4f} where longitude belongs); swap the X/Y columns",
                )
            )
        else:
            problems.append(
                ImportProblem(
                    int(i),
                    "outside_china",
                    f"要素 {i}：位置（{bounds[i, 0]:.4f}, {bounds[i, 1]:.4f}）不在中国境内；"
                    "请检查坐标系",
                    f"Feature {i}: position ({bounds[i, 0]:.4f}, {bounds[i, 1]:.4f}) is "
                    "outside China; check the CRS",
                )
            )
    return problems


def check_polygons(geoms: np.ndarray) -> list[ImportProblem]:
    """Features that are not single polygons (boundaries and grids must be)."""
    problems: list[ImportProblem] = []
    types = shapely.get_type_id(geoms)
    for i in np.flatnonzero(types == 6):  # MultiPolygon
        parts = shapely.get_num_geometries(geoms[i])
        if parts > 1:
            problems.append(
                ImportProblem(
                    int(i),
                    "multipart",
                    f"要素 {i}：是由 {parts} 块组成的多面，这里需要单个面；请拆分或合并",
                    f"Feature {i}: a multipolygon of {parts} parts where one polygon "
                    "is expected; split or merge it",
                )
            )
    for i in np.flatnonzero((types != 3) & (types != 6) & (types >= 0)):
        kind = shapely.get_type_id(geoms[i])
        name = {0: "点", 1: "线", 2: "线", 4: "多点", 5: "多线", 7: "集合"}.get(int(kind), "?")
        problems.append(
            ImportProblem(
                int(i),
                "not_polygon",
                f"要素 {i}：是{name}，这里需要面",
                f"Feature {i}: a {geoms[i].geom_type} where a polygon is expected",
            )
        )
    return problems


_CODE_CHECKS = {
    "street": (codes.validate_street_code, 9),
    "community": (codes.validate_community_code, 12),
    "grid": (codes.GridCode.parse, 15),
}


def check_attributes(
    frame: pd.DataFrame, kind: str, mapping: Mapping[str, str | None]
) -> list[ImportProblem]:
    """Missing names, malformed and duplicate codes.

    Grids may come without names or GB/T codes (a file of outlines, or local
    numbers such as "1", "A-01"): they are numbered per community and named
    after their number on import, so those are notes, not blocking problems.
    """
    problems: list[ImportProblem] = []
    grid = kind == "grid"
    name_field = mapping.get("name")
    if not name_field:
        problems.append(ImportProblem(
            None, "missing_name", "未指定名称字段" + ("，网格将按编号命名" if grid else ""),
            "No field is mapped to the name" + ("; grids are named after their code"
                                                 if grid else ""), blocking=not grid))
    else:
        names = frame[name_field]
        for i in np.flatnonzero(names.isna().to_numpy() | (names.astype(str).str.strip() == "")):
            problems.append(ImportProblem(int(i), "missing_name", f"要素 {i}：名称为空",
                                          f"Feature {i}: no name", blocking=not grid))
    code_field = mapping.get("code")
    if code_field and grid and local_grid_codes(frame[code_field]):
        problems.append(ImportProblem(
            None, "local_codes",
            f"字段“{code_field}”不是 GB/T 网格编码（15 位），网格将按社区自动编号（自西向东、自北向南）",
            f"Field '{code_field}' holds no GB/T grid codes (15 digits); the grids are "
            "numbered per community (west to east, north to south)", blocking=False))
    elif code_field:
        check, _n = _CODE_CHECKS[kind]
        values = frame[code_field].astype("string").str.strip()
        for row, value in enumerate(values):
            if pd.isna(value) or value == "":
                continue  # codes may be assigned later
            try:
                check(str(value))
            except ValidationError as err:
                problems.append(
                    ImportProblem(
                        row, "bad_code", f"要素 {row}：{err.message_in('zh')}",
                        f"Feature {row}: {err.message_in('en')}",
                    )
                )
        dup = values.notna() & (values != "") & values.duplicated(keep=False)
        for i in np.flatnonzero(dup.to_numpy(dtype=bool)):
            problems.append(
                ImportProblem(
                    int(i), "duplicate_code", f"要素 {i}：编码 {values.iloc[i]} 重复",
                    f"Feature {i}: code {values.iloc[i]} is used more than once",
                )
            )
    return problems


def local_grid_codes(values: pd.Series) -> bool:
    """True when a code column holds local numbers ("1", "A-01"), not GB/T codes.

    That is: values, none of them a GB/T grid code, and none a long digit
    string (12+ digits is a GB/T code gone wrong, e.g. a community's code,
    and stays a ``bad_code`` problem).
    """
    given = values.astype("string").str.strip()
    given = given[given.notna() & (given != "")]
    if given.empty:
        return False
    for value in given:
        if str(value).isdigit() and len(str(value)) >= 12:
            return False
        try:
            codes.GridCode.parse(str(value))
        except ValidationError:
            continue
        return False
    return True


def _lost(value: object) -> bool:
    if not isinstance(value, str):
        return False
    text = "".join(value.split())
    marks = text.count("?")
    return marks >= 2 and 2 * marks >= len(text)


def check_lost_text(frame: pd.DataFrame) -> list[ImportProblem]:
    """Text fields whose characters became question marks (one problem per field).

    A program that writes Chinese into a codepage without Chinese (ogr2ogr's
    default Shapefile encoding, ISO-8859-1) stores ``?`` for every character:
    the text is gone and importing "??????" as names would hide it.
    """
    problems: list[ImportProblem] = []
    for column in frame.columns:
        if frame[column].dtype != object and not isinstance(frame[column].dtype, pd.StringDtype):
            continue
        lost = frame[column].map(_lost).to_numpy(dtype=bool)
        if not lost.any():
            continue
        example = str(frame[column].iloc[int(np.flatnonzero(lost)[0])])
        n = int(lost.sum())
        problems.append(
            ImportProblem(
                None,
                "text_lost",
                f"字段“{column}”有 {n} 个值只剩问号（如“{example}”）：写出文件的程序用了不能"
                "表示中文的编码（如 ogr2ogr 默认的 ISO-8859-1），文字已丢失，无法恢复。请从原始"
                "数据重新导出，Shapefile 用 UTF-8 或 GBK（ogr2ogr 加 -lco ENCODING=UTF-8）",
                f"Field '{column}': {n} values are only question marks (e.g. '{example}'): "
                "the program that wrote the file used an encoding without Chinese (such as "
                "ogr2ogr's default ISO-8859-1) and the text is lost for good. Export again "
                "from the original data; for a Shapefile use UTF-8 or GBK (ogr2ogr -lco "
                "ENCODING=UTF-8)",
            )
        )
    return problems
