"""Record scope of the case list as SQL conditions over ``report r``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def departments_condition(department_ids: Sequence[int]) -> tuple[str, list[Any]]:
    """Cases the departments handle, or assist on (协办: ``assist_department_ids``).

    Examples
    --------
    >>> departments_condition([3])[1]
    [3, 3]
    """
    ids = [int(i) for i in department_ids]
    if not ids:
        return "0 = 1", []
    marks = ", ".join("?" for _ in ids)
    return (f"(r.department_id IN ({marks}) OR (r.assist_department_ids IS NOT NULL AND "
            f"EXISTS (SELECT 1 FROM json_each(r.assist_department_ids) a "
            f"WHERE a.value IN ({marks}))))", ids + ids)
