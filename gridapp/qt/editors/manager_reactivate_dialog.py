"""重新启用网格员: take a deactivated grid manager back.

Deactivation ends a manager's assignments and disables their account; taking
them back (:func:`gridapp.services.people.managers.reactivate_manager`,
audited) makes them assignable again.  Grids are given back with the usual
assignment tools, the account in the user list.  Undo deactivates again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from gridapp.domain.enums import Employment
from gridapp.i18n import pick
from gridapp.qt.editors.editor_dialog import EditorDialog
from gridapp.services.people import managers


class ManagerReactivateDialog(EditorDialog):
    """Managers (the deactivated ones first shown) and a *Reactivate* button."""

    permission = "manager.edit"

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("managerReactivateDialog")
        self.inactive_only = QCheckBox(self)
        self.inactive_only.setObjectName("managersInactiveOnly")
        self.inactive_only.setChecked(True)
        self.inactive_only.toggled.connect(lambda _on: self.reload())
        self.top_area.addWidget(self.inactive_only)
        self.top_area.addStretch(1)
        self.values = [QLabel(self) for _ in range(4)]
        self.add_rows(*self.values)
        self.hint = self.add_note()
        self.retranslate()
        self.reload()

    def headers(self) -> list[str]:
        return [self.tr("Staff no."), self.tr("Name"), self.tr("Phone"), self.tr("State")]

    def retranslate(self) -> None:
        super().retranslate()
        self.save_button.setText(self.tr("Reactivate"))
        self.setWindowTitle(self.tr("Reactivate a grid manager"))
        self.form_box.setTitle(self.tr("Grid manager"))
        self.inactive_only.setText(self.tr("Only deactivated managers"))
        self.set_row_titles(self.tr("Name"), self.tr("Staff no."), self.tr("Phone"),
                            self.tr("Employment"))
        self.hint.setText(self.tr(
            "Reactivating gives the manager back, not their grids or account: assign "
            "grids again and enable the account under People."))

    def load_rows(self) -> list[dict[str, Any]]:
        rows = managers.list_managers(self.session, include_inactive=True)
        if not hasattr(self, "inactive_only") or self.inactive_only.isChecked():
            rows = [r for r in rows if not r["active"]]
        return rows

    def _state(self, row: dict[str, Any]) -> str:
        return self.tr("active") if row["active"] else self.tr("deactivated")

    def cells(self, row: dict[str, Any]) -> list[str]:
        return [row["staff_no"], row["name"], row["phone"] or "", self._state(row)]

    def fill_form(self, row: dict[str, Any] | None) -> None:
        if row is None:
            for value in self.values:
                value.setText("")
            return
        employment = Employment(row["employment"])
        for value, text in zip(self.values, (
                f"{row['name']}（{self._state(row)}）", row["staff_no"], row["phone"] or "",
                pick(employment.zh, employment.en)), strict=True):
            value.setText(text)

    # The service decides whether the manager may be taken back (an active one
    # is refused with its own message), so the form always asks.
    def stored_values(self, row: dict[str, Any]) -> dict[str, Any]:
        return {"active": False}

    def form_values(self) -> dict[str, Any]:
        return {"active": True}

    def write(self, key: Any, values: dict[str, Any]) -> Any:
        if values["active"]:
            managers.reactivate_manager(self.session, key)
        else:
            managers.deactivate_manager(self.session, key)
        return True

    def edit_title(self, row: dict[str, Any]) -> str:
        return f"{row['name']}（{row['staff_no']}）"
