"""Names the task widgets show: categories, departments (asked of
:mod:`gridapp.services.joint.reference` on the GUI thread; small reference tables)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gridapp.services.joint import reference as joint_reference
from gridapp.services.joint.reference import reference_names


@dataclass(frozen=True)
class Names:
    """Category and department names of one workspace."""

    categories: dict[str, str]  # code -> name
    classes: list[tuple[str, str]]  # top-level (code, name)
    departments: dict[int, str]  # id -> name
    department_kinds: dict[int, str]  # id -> office | department | district

    def category(self, code: str) -> str:
        return self.categories.get(code, code)

    def department(self, dept_id: int | None) -> str:
        return "—" if dept_id is None else self.departments.get(int(dept_id), str(dept_id))

    def top_categories(self, counts: dict[str, int], n: int = 3) -> str:
        top = sorted(counts.items(), key=lambda kv: -kv[1])[:n]
        text = "、".join(f"{self.category(c)} {k}" for c, k in top)
        return text + ("…" if len(counts) > n else "")

    def summoned(self) -> list[int]:
        """Departments a task can summon (not the district government)."""
        return [d for d, kind in self.department_kinds.items() if kind != "district"]


def read_names(session: Any) -> Names:
    """The names of *session*'s workspace (empty without a session)."""
    if session is None:
        return Names({}, [], {}, {})
    got = reference_names(session)
    cats = got.categories
    classes = [(c, n) for c, n in cats.items() if len(c) == 2]
    return Names(cats, classes, {d: name for d, name, _ in got.departments},
                 {d: kind for d, _, kind in got.departments})


def case_numbers(session: Any, report_ids: list[int]) -> list[str]:
    """Case numbers of *report_ids*, in filing order."""
    return joint_reference.case_numbers(session, report_ids)
