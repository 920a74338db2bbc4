"""Named, transactional schema migrations, applied in order on open.

Each module ``mNNNN_<name>.py`` defines ``NAME`` (stable, recorded in the
``gridapp_migration`` table), ``VERSION`` (the schema version it brings the
file to) and ``apply(conn, ctx)``.  Numbers are reserved per issue to keep
parallel work apart: 0001–0002 foundation, 0003 map, 0004 grids, 0005 people,
0006 reports, 0007 tasks, 0008 printing, 0014 the trustworthy-workspace issue,
0015 the one-door/security issue.  Several migrations may share a number; they
run in (version, name) order.  Never edit a released migration; add a new one.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Migration:
    name: str
    version: int
    module: ModuleType


def all_migrations() -> list[Migration]:
    """Every migration shipped with this GridApp, oldest first."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("m") and info.name[1:5].isdigit():
            mod = importlib.import_module(f"{__name__}.{info.name}")
            found.append(Migration(mod.NAME, mod.VERSION, mod))
    return sorted(found, key=lambda m: (m.version, m.name))
