"""楼栋属性: a grid's buildings with a form for the chosen one (issue 18).

Name, kind, households, floors and address are saved through
:func:`gridapp.services.basedata.building_edit.update_building` (checked,
audited; a grid manager only in their own grids); undo and redo call it again
with the values before or after.  The footprint is drawn on the map
(:func:`gridapp.services.basedata.building_edit.add_building`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from gridapp.qt.editors.editor_dialog import EditorDialog
from gridapp.services.basedata import building_edit, buildings

FIELDS = ("name", "kind", "households", "floors", "address")


class BuildingEditor(EditorDialog):
    """The buildings of one grid and the chosen building's attributes."""

    permission = "building.edit"

    def __init__(self, session: Any, grid_id: int, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("buildingEditor")
        self.grid_id = grid_id
        self.edits = {f: QLineEdit(self) for f in FIELDS}
        self._labels = {f: QLabel(self) for f in FIELDS}
        for f in FIELDS:
            self.edits[f].setObjectName(f"building_{f}")
            self.form.addRow(self._labels[f], self.edits[f])
        self.retranslate()
        self.reload()

    def headers(self) -> list[str]:
        return [self.tr("Building"), self.tr("Kind"), self.tr("Households"),
                self.tr("Floors"), self.tr("Address")]

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Buildings"))
        self.form_box.setTitle(self.tr("Building"))
        for f, text in zip(FIELDS, (self.tr("Name"), self.tr("Kind"), self.tr("Households"),
                                    self.tr("Floors"), self.tr("Address")), strict=True):
            self._labels[f].setText(text)

    def load_rows(self) -> list[dict[str, Any]]:
        return [{"id": b.id, "name": b.name or "", "kind": b.kind or "",
                 "households": b.households_typed, "floors": b.floors, "address": b.address or ""}
                for b in buildings.grid_buildings(self.session, self.grid_id)]

    def cells(self, row: dict[str, Any]) -> list[str]:
        return [row["name"], row["kind"], str(row["households"]),
                "" if row["floors"] is None else str(row["floors"]), row["address"]]

    def fill_form(self, row: dict[str, Any] | None) -> None:
        values = self.stored_values(row) if row else {f: "" for f in FIELDS}
        for f in FIELDS:
            self.edits[f].setText(values[f])

    def stored_values(self, row: dict[str, Any]) -> dict[str, Any]:
        return {f: "" if row[f] is None else str(row[f]) for f in FIELDS}

    def form_values(self) -> dict[str, Any]:
        return {f: self.edits[f].text().strip() for f in FIELDS}

    def write(self, key: Any, values: dict[str, Any]) -> Any:
        row = next(r for r in self.load_rows() if r["id"] == key)
        merged = {**self.stored_values(row), **values}
        return building_edit.update_building(
            self.session, key, draft=building_edit.BuildingDraft(**merged))
