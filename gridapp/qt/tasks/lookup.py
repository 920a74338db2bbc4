"""Names the task widgets show: categories, departments (read on the GUI thread;
small reference tables)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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


def read_names(store: Any) -> Names:
    cats = {r[0]: r[1] for r in store.query("SELECT code, name FROM category ORDER BY code")}
    classes = [(c, n) for c, n in cats.items() if len(c) == 2]
    deps = store.query("SELECT id, name, kind FROM department WHERE active ORDER BY id")
    return Names(cats, classes, {int(r[0]): r[1] for r in deps},
                 {int(r[0]): r[2] for r in deps})


def case_numbers(store: Any, report_ids: list[int]) -> list[str]:
    """Case numbers of *report_ids*, in filing order."""
    if not report_ids:
        return []
    marks = ", ".join("?" for _ in report_ids)
    return [r[0] for r in store.query(
        f"SELECT case_no FROM report WHERE id IN ({marks}) ORDER BY reported_at, id",
        list(report_ids))]
