"""Display titles of the workspace's attribute fields, in the UI language."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

FIELD_TITLES = {
    "id": QT_TRANSLATE_NOOP("Fields", "ID"),
    "code": QT_TRANSLATE_NOOP("Fields", "Code"),
    "name": QT_TRANSLATE_NOOP("Fields", "Name"),
    "kind": QT_TRANSLATE_NOOP("Fields", "Kind"),
    "community_id": QT_TRANSLATE_NOOP("Fields", "Community"),
    "street_id": QT_TRANSLATE_NOOP("Fields", "Street"),
    "households": QT_TRANSLATE_NOOP("Fields", "Households"),
    "population": QT_TRANSLATE_NOOP("Fields", "Population"),
    "notes": QT_TRANSLATE_NOOP("Fields", "Notes"),
    "valid_from": QT_TRANSLATE_NOOP("Fields", "Valid from"),
    "valid_to": QT_TRANSLATE_NOOP("Fields", "Valid to"),
    "previous_id": QT_TRANSLATE_NOOP("Fields", "Previous version"),
    "district_code": QT_TRANSLATE_NOOP("Fields", "District code"),
    "office_name": QT_TRANSLATE_NOOP("Fields", "Office"),
    "floors": QT_TRANSLATE_NOOP("Fields", "Floors"),
    "address": QT_TRANSLATE_NOOP("Fields", "Address"),
    "case_no": QT_TRANSLATE_NOOP("Fields", "Case no."),
    "category_id": QT_TRANSLATE_NOOP("Fields", "Category"),
    "status": QT_TRANSLATE_NOOP("Fields", "Status"),
    "urgency": QT_TRANSLATE_NOOP("Fields", "Urgency"),
    "source": QT_TRANSLATE_NOOP("Fields", "Source"),
    "grid_id": QT_TRANSLATE_NOOP("Fields", "Grid"),
    "reported_at": QT_TRANSLATE_NOOP("Fields", "Reported at"),
    "deadline": QT_TRANSLATE_NOOP("Fields", "Deadline"),
    "task_no": QT_TRANSLATE_NOOP("Fields", "Task no."),
    "title": QT_TRANSLATE_NOOP("Fields", "Title"),
    "state": QT_TRANSLATE_NOOP("Fields", "State"),
}


def field_title(field: str) -> str:
    """The title of *field* in the UI language (the field name if unknown)."""
    source = FIELD_TITLES.get(field)
    return QCoreApplication.translate("Fields", source) if source else field


def _value_labels() -> dict[str, dict[str, Any]]:
    from gridapp.domain import enums

    return {
        "kind": {m.value: m for m in enums.GridKind},
        "status": {m.value: m for m in enums.CaseStatus},
        "urgency": {m.value: m for m in enums.Urgency},
        "source": {m.value: m for m in enums.ReportSource},
        "handling": {m.value: m for m in enums.Handling},
        "state": {m.value: m for m in enums.TaskState},
    }


VALUE_LABELS = _value_labels()


def value_label(field: str, value: Any) -> str | None:
    """The label of a coded value (``closed`` → ``已结案``), or None if not coded."""
    member = VALUE_LABELS.get(field, {}).get(value) if isinstance(value, str) else None
    return None if member is None else member.label
