"""Default reference data seeded into every new workspace, where staff edit it.

The event classes (事件) follow GB/T 30428's top-level classes (01 市容环境,
02 宣传广告, 03 施工管理, 04 街面秩序, 05 突发事件, 06 其他); sub-categories are
those grid managers meet most.  The component classes (部件, GB/T 30428.2:
01 公用设施类, 02 道路交通类, 03 市容环境类, 04 园林绿化类, 05 房屋土地类,
06 其他设施类; named with 类 as in the standard, so no name is shared with an
event class) reuse the same two-digit numbers, so their codes carry the prefix ``B`` (``B01``,
``B0101`` 上水井盖) and never clash with event codes; a component case is a
problem with that component (a broken or missing manhole cover, a dark
street lamp).  Each sub-category names its default handling department,
time limit and unit; the duty list (职责清单) says who handles it: the street
office itself, one department, several departments jointly, or the district.
Cities extend these lists heavily: they are data, imported and edited in the
workspace, never consulted from here after seeding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gridapp.domain.enums import Handling, TimeUnit


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    short_name: str
    kind: str = "department"  # office | department | district


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    pinyin: str = ""  # initials, for search by 拼音首字母
    department: str | None = None  # default handler (department code)
    time_limit: float | None = None
    time_unit: TimeUnit | None = None
    handling: Handling | None = None
    joint_with: tuple[str, ...] = ()  # further departments for joint handling


DEFAULT_DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec("JD", "街道办事处综合执法队", "街道", "office"),
    DepartmentSpec("CG", "区城市管理局", "城管"),
    DepartmentSpec("SCJG", "区市场监督管理局", "市场监管"),
    DepartmentSpec("GA", "公安分局", "公安"),
    DepartmentSpec("XF", "消防救援大队", "消防"),
    DepartmentSpec("STHJ", "生态环境分局", "生态环境"),
    DepartmentSpec("ZJ", "区住房和城乡建设局", "住建"),
    DepartmentSpec("JT", "区交通运输局", "交通"),
    DepartmentSpec("SW", "区水务局", "水务"),
    DepartmentSpec("WJ", "区卫生健康局", "卫健"),
    DepartmentSpec("YJ", "区应急管理局", "应急"),
    DepartmentSpec("ZRZY", "自然资源分局", "自然资源"),
    DepartmentSpec("QZF", "区人民政府（督办）", "区政府", "district"),
)

_W, _H, _U = TimeUnit.WORKDAY, TimeUnit.WORKHOUR, TimeUnit.URGENT_HOUR
_O, _D, _J, _X = Handling.OFFICE, Handling.DEPARTMENT, Handling.JOINT, Handling.DISTRICT

EVENT_CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec("01", "市容环境", "SRHJ"),
    CategorySpec("0101", "暴露垃圾", "BLLJ", "JD", 2, _H, _O),
    CategorySpec("0102", "积存垃圾渣土", "JCLJZT", "JD", 1, _W, _O),
    CategorySpec("0103", "道路不洁", "DLBJ", "JD", 2, _H, _O),
    CategorySpec("0104", "水域不洁", "SYBJ", "SW", 2, _W, _D),
    CategorySpec("0105", "焚烧垃圾树叶", "FSLJSY", "STHJ", 4, _H, _D),
    CategorySpec("0106", "餐饮油烟", "CYYY", "STHJ", 3, _W, _J, ("CG",)),
    CategorySpec("0107", "噪声扰民", "ZSRM", "STHJ", 2, _W, _J, ("GA",)),
    CategorySpec("02", "宣传广告", "XCGG"),
    CategorySpec("0201", "非法小广告", "FFXGG", "JD", 1, _W, _O),
    CategorySpec("0202", "违规悬挂横幅", "WGXGHF", "CG", 1, _W, _D),
    CategorySpec("0203", "占道广告牌", "ZDGGP", "CG", 3, _W, _D),
    CategorySpec("0204", "广告牌匾破损", "GGPBPS", "CG", 2, _W, _D),
    CategorySpec("03", "施工管理", "SGGL"),
    CategorySpec("0301", "施工扰民", "SGRM", "ZJ", 2, _W, _D),
    CategorySpec("0302", "工地扬尘", "GDYC", "ZJ", 1, _W, _J, ("STHJ",)),
    CategorySpec("0303", "道路遗撒", "DLYS", "CG", 4, _H, _D),
    CategorySpec("0304", "违法建设", "WFJS", "CG", 5, _W, _J, ("ZJ", "ZRZY")),
    CategorySpec("0305", "无证掘路", "WZJL", "JT", 2, _W, _D),
    CategorySpec("04", "街面秩序", "JMZX"),
    CategorySpec("0401", "占道经营", "ZDJY", "CG", 2, _H, _D),
    CategorySpec("0402", "店外经营", "DWJY", "CG", 4, _H, _D),
    CategorySpec("0403", "流动摊贩", "LDTF", "CG", 2, _H, _J, ("SCJG",)),
    CategorySpec("0404", "机动车乱停放", "JDCLTF", "GA", 2, _H, _D),
    CategorySpec("0405", "非机动车乱停放", "FJDCLTF", "JD", 4, _H, _O),
    CategorySpec("0406", "露天烧烤", "LTSK", "CG", 2, _H, _J, ("STHJ", "SCJG")),
    CategorySpec("0407", "无照经营", "WZJY", "SCJG", 3, _W, _D),
    CategorySpec("05", "突发事件", "TFSJ"),
    CategorySpec("0501", "路面塌陷", "LMTX", "JT", 4, _U, _J, ("ZJ", "YJ")),
    CategorySpec("0502", "供水管道破裂", "GSGDPL", "SW", 4, _U, _D),
    CategorySpec("0503", "燃气泄漏", "RQXL", "YJ", 2, _U, _J, ("ZJ", "XF")),
    CategorySpec("0504", "道路积水", "DLJS", "SW", 6, _U, _D),
    CategorySpec("0505", "井盖缺失", "JGQS", "SW", 4, _U, _D),
    CategorySpec("06", "其他", "QT"),
    CategorySpec("0601", "消防通道堵塞", "XFTDDS", "XF", 1, _W, _D),
    CategorySpec("0602", "电动车违规充电", "DDCWGCD", "XF", 1, _W, _J, ("JD",)),
    CategorySpec("0603", "群租房", "QZF", "GA", 5, _W, _J, ("ZJ", "XF")),
    CategorySpec("0604", "食品安全隐患", "SPAQYH", "SCJG", 2, _W, _D),
    CategorySpec("0605", "违规养犬", "WGYQ", "GA", 3, _W, _D),
    CategorySpec("0606", "病媒生物孳生", "BMSWZS", "WJ", 3, _W, _D),
    CategorySpec("0607", "邻里矛盾纠纷", "LLMDJF", "JD", 5, _W, _O),
    CategorySpec("0608", "职责不清事项", "ZZBQSX", "QZF", 5, _W, _X),
)

# Component (部件) classes of GB/T 30428.2 with typical subclasses.
COMPONENT_PREFIX = "B"
COMPONENT_CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec("B01", "公用设施类", "GYSSL"),
    CategorySpec("B0101", "上水井盖", "SSJG", "SW", 1, _W, _D),
    CategorySpec("B0102", "污水井盖", "WSJG", "SW", 1, _W, _D),
    CategorySpec("B0103", "雨水井盖", "YSJG", "SW", 1, _W, _D),
    CategorySpec("B0104", "雨水箅子", "YSBZ", "SW", 1, _W, _D),
    CategorySpec("B0105", "电力井盖", "DLJG", "CG", 1, _W, _D),
    CategorySpec("B0106", "通信井盖", "TXJG", "CG", 1, _W, _D),
    CategorySpec("B0107", "燃气井盖", "RQJG", "ZJ", 1, _W, _D),
    CategorySpec("B0108", "热力井盖", "RLJG", "ZJ", 1, _W, _D),
    CategorySpec("B0109", "消火栓", "XHS", "XF", 2, _W, _D),
    CategorySpec("B0110", "路灯", "LD", "CG", 2, _W, _D),
    CategorySpec("B0111", "通信交接箱", "TXJJX", "CG", 3, _W, _D),
    CategorySpec("B0112", "报刊亭", "BKT", "CG", 3, _W, _D),
    CategorySpec("B02", "道路交通类", "DLJTL"),
    CategorySpec("B0201", "停车场", "TCC", "JT", 3, _W, _D),
    CategorySpec("B0202", "公交站亭", "GJZT", "JT", 3, _W, _D),
    CategorySpec("B0203", "交通标志牌", "JTBZP", "GA", 2, _W, _D),
    CategorySpec("B0204", "交通信号灯", "JTXHD", "GA", 1, _W, _D),
    CategorySpec("B0205", "道路护栏", "DLHL", "JT", 2, _W, _D),
    CategorySpec("B0206", "过街天桥", "GJTQ", "JT", 3, _W, _D),
    CategorySpec("B0207", "地下通道", "DXTD", "JT", 3, _W, _D),
    CategorySpec("B0208", "路名牌", "LMP", "CG", 3, _W, _D),
    CategorySpec("B03", "市容环境类", "SRHJL"),
    CategorySpec("B0301", "公共厕所", "GGCS", "CG", 2, _W, _D),
    CategorySpec("B0302", "垃圾箱", "LJX", "JD", 2, _W, _O),
    CategorySpec("B0303", "垃圾收集站", "LJSJZ", "CG", 2, _W, _D),
    CategorySpec("B0304", "广告牌匾", "GGPB", "CG", 3, _W, _D),
    CategorySpec("B0305", "灯箱霓虹灯", "DXNHD", "CG", 3, _W, _D),
    CategorySpec("B0306", "化粪池", "HFC", "SW", 2, _W, _D),
    CategorySpec("B04", "园林绿化类", "YLLHL"),
    CategorySpec("B0401", "古树名木", "GSMM", "ZRZY", 2, _W, _D),
    CategorySpec("B0402", "行道树", "XDS", "CG", 3, _W, _D),
    CategorySpec("B0403", "绿地", "LD", "CG", 3, _W, _D),
    CategorySpec("B0404", "护树设施", "HSSS", "CG", 3, _W, _D),
    CategorySpec("B0405", "花架花钵", "HJHB", "CG", 3, _W, _D),
    CategorySpec("B0406", "城市雕塑", "CSDS", "CG", 5, _W, _D),
    CategorySpec("B0407", "街头座椅", "JTZY", "CG", 3, _W, _D),
    CategorySpec("B05", "房屋土地类", "FWTDL"),
    CategorySpec("B0501", "宣传栏", "XCL", "JD", 3, _W, _O),
    CategorySpec("B0502", "人防工事", "RFGS", "ZJ", 5, _W, _D),
    CategorySpec("B0503", "危旧房屋", "WJFW", "ZJ", 2, _W, _D),
    CategorySpec("B0504", "空闲地", "KXD", "ZRZY", 5, _W, _D),
    CategorySpec("B06", "其他设施类", "QTSSL"),
    CategorySpec("B0601", "重大危险源", "ZDWXY", "YJ", 4, _U, _D),
    CategorySpec("B0602", "工地", "GD", "ZJ", 3, _W, _D),
    CategorySpec("B0603", "水域附属设施", "SYFSSS", "SW", 3, _W, _D),
    CategorySpec("B0604", "治安监控设施", "ZAJKSS", "GA", 3, _W, _D),
)

# Everything seeded into a new workspace: events first, then components.
DEFAULT_CATEGORIES: tuple[CategorySpec, ...] = EVENT_CATEGORIES + COMPONENT_CATEGORIES


_CODE = re.compile(r"^([A-Za-z]*)(\d{2})(\d{2})?$")


def parent_code(code: str) -> str | None:
    """Parent class of a sub-category code, None for a class.

    Examples
    --------
    >>> parent_code("0401"), parent_code("B0101"), parent_code("04"), parent_code("B01")
    ('04', 'B01', None, None)
    """
    m = _CODE.match(code)
    if m is None or m.group(3) is None:
        return None
    return m.group(1) + m.group(2)


def is_component(code: str) -> bool:
    """Whether a category code is a component (部件) class or subclass."""
    return code.upper().startswith(COMPONENT_PREFIX)


def duty_rows(categories: tuple[CategorySpec, ...] | None = None):
    """(category code, handling, department code, role) rows of the duty list.

    *categories* defaults to :data:`DEFAULT_CATEGORIES` as it is at the call.
    """
    for c in DEFAULT_CATEGORIES if categories is None else categories:
        if c.handling is None:
            continue
        yield c.code, c.handling.value, c.department, "lead"
        for other in c.joint_with:
            yield c.code, c.handling.value, other, "assist"
