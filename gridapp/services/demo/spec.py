"""What the demo generator is asked for (:class:`DemoSpec`) and what it plants (:class:`Hotspot`).

Shared by :mod:`gridapp.services.demo.street` and :mod:`gridapp.services.demo.reports`,
so neither imports the other for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gridapp.domain.enums import Role

CENTER = (106.712, 26.575)  # 贵阳市南明区, lon/lat

# Documented demo users (README, data/README.md): one per role.  The login
# dialog lists them for the demo street (here: no generator imported at start).
DEMO_USERS: tuple[tuple[str, str, Role, str], ...] = (
    ("admin", "Admin-demo-2026", Role.ADMIN, "系统管理员"),
    ("wgb", "Office-demo-2026", Role.OFFICE, "网格办 刘静"),
    ("zhihui", "Dispatch-demo-2026", Role.DISPATCHER, "指挥中心 陈晨"),
    ("chengguan", "Liaison-demo-2026", Role.LIAISON, "城管局联络员 赵磊"),
    ("wgy01", "Manager-demo-2026", Role.MANAGER, "网格员"),
    ("lingdao", "Leader-demo-2026", Role.LEADER, "分管领导 王主任"),
)


@dataclass(frozen=True)
class DemoSpec:
    seed: int = 20261123
    grids: int = 60
    reports: int = 3000
    days: int = 120
    # The demo's "as of" date: every report and case event happens before this
    # day begins (Beijing).  None: today by GridApp's clock.  It is recorded in
    # the workspace (setting ``demo.spec``), and the same seed and as-of date
    # give the same street whatever the day or hour of generation.
    as_of: date | None = None
    center: tuple[float, float] = CENTER
    hash_rounds: int = 2**15  # scrypt N; tests of generation may lower it

    @property
    def communities(self) -> int:
        return max(1, round(self.grids / 7.5))

    @property
    def managers(self) -> int:
        return max(1, round(self.grids * 2 / 3))


@dataclass
class Hotspot:
    """A planted cluster: where, which categories, how many reports, when."""

    id: int
    lon: float
    lat: float
    radius_m: float
    categories: list[str]
    count: int
    first_day: str
    last_day: str
    kind: str
