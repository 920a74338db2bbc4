"""职责清单编辑: which department handles which category, everywhere or in a kind of area.

Each line says: for a category (and, optionally, only inside duty areas of
one kind: main road, residential compound, market …) who handles it, how
(street office, one department, several, the district) and as lead or
assistant.  Saving, adding and removing go through
:mod:`gridapp.services.cases.routing` (checked, audited); every change goes on
the dialog's undo stack.  The selected line's category also shows its
near-duplicate radius and window (:func:`~gridapp.services.cases.placement.
set_category_duplicate_rule`), editable here with undo too.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from gridapp.domain.enums import Handling
from gridapp.errors import GridAppError, ValidationError
from gridapp.qt.editors.editor_dialog import EditorDialog
from gridapp.services.cases import lookups, placement, routing

_FIELDS = ("category_id", "area_kind", "handling", "department_id", "role", "note")


class DutyListEditor(EditorDialog):
    """The duty list with a form for the selected line, add, remove and undo."""

    permission = "category.edit"

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("dutyListEditor")
        self.category_combo = QComboBox(self)
        self.category_combo.setObjectName("dutyCategory")
        self.category_combo.setEditable(True)  # type to find a category
        self.category_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.area_combo = QComboBox(self)
        self.area_combo.setObjectName("dutyArea")
        self.area_combo.setEditable(True)  # another kind may be typed
        self.area_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.handling_combo = QComboBox(self)
        self.handling_combo.setObjectName("dutyHandling")
        self.department_combo = QComboBox(self)
        self.department_combo.setObjectName("dutyDepartment")
        self.role_combo = QComboBox(self)
        self.role_combo.setObjectName("dutyRole")
        self.note_edit = QLineEdit(self)
        self.note_edit.setObjectName("dutyNote")
        self._labels = [QLabel(self) for _ in range(6)]
        for label, widget in zip(self._labels, (
                self.category_combo, self.area_combo, self.handling_combo,
                self.department_combo, self.role_combo, self.note_edit), strict=True):
            self.form.addRow(label, widget)

        self.add_button = QPushButton(self)
        self.add_button.setObjectName("dutyAdd")
        self.add_button.clicked.connect(self.add_line)
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("dutyRemove")
        self.remove_button.clicked.connect(self.remove_line)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("dutyFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(lambda _t: self.reload())
        self.areas_button = QPushButton(self)
        self.areas_button.setObjectName("dutyImportAreas")
        self.areas_button.clicked.connect(lambda: self.import_areas())
        self.top_area.addWidget(self.filter_edit, 1)
        self.top_area.addWidget(self.add_button)
        self.top_area.addWidget(self.remove_button)
        self.top_area.addWidget(self.areas_button)

        self.dup_box = QGroupBox(self)
        self.dup_box.setObjectName("dutyDuplicates")
        dup_form = QFormLayout(self.dup_box)
        self.radius_spin = QDoubleSpinBox(self)
        self.radius_spin.setObjectName("dupRadius")
        self.radius_spin.setRange(1, 2000)
        self.radius_spin.setDecimals(0)
        self.days_spin = QDoubleSpinBox(self)
        self.days_spin.setObjectName("dupDays")
        self.days_spin.setRange(0.1, 365)
        self.days_spin.setDecimals(1)
        self.dup_source = QLabel(self)
        self.dup_source.setObjectName("dupSource")
        self.dup_source.setWordWrap(True)
        self.dup_save = QPushButton(self)
        self.dup_save.setObjectName("dupSave")
        self.dup_save.clicked.connect(self.save_duplicate_rule)
        self._dup_labels = [QLabel(self), QLabel(self)]
        dup_form.addRow(self._dup_labels[0], self.radius_spin)
        dup_form.addRow(self._dup_labels[1], self.days_spin)
        row = QHBoxLayout()
        row.addWidget(self.dup_source, 1)
        row.addWidget(self.dup_save)
        dup_form.addRow(row)
        self.extra_area.addWidget(self.dup_box)

        self._fill_choices()
        self.retranslate()
        self.reload()

    # -- choices ------------------------------------------------------------
    def _fill_choices(self) -> None:
        self.category_combo.clear()
        for cid, label, _top in lookups.category_choices(self.session):
            self.category_combo.addItem(label, cid)
        self.department_combo.clear()
        self.department_combo.addItem("", None)
        for d in lookups.department_choices(self.session):
            self.department_combo.addItem(d["name"], int(d["id"]))
        self.handling_combo.clear()
        for h in Handling:
            self.handling_combo.addItem(h.label, h.value)
        self._fill_areas()

    def _fill_areas(self) -> None:
        keep = self.area_combo.currentData()
        self.area_combo.clear()
        self.area_combo.addItem(routing.area_kind_label(None), None)
        for key, label in routing.area_kinds(self.session):
            self.area_combo.addItem(label, key)
        self.area_combo.setCurrentIndex(max(0, self.area_combo.findData(keep)))

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Duty list: who handles what, where"))
        self.form_box.setTitle(self.tr("Duty-list line"))
        for label, text in zip(self._labels, (
                self.tr("Category"), self.tr("Where"), self.tr("Handling"),
                self.tr("Department"), self.tr("Role"), self.tr("Note")), strict=True):
            label.setText(text)
        self.department_combo.setItemText(0, self.tr("(none: the district decides)"))
        self.role_combo.clear()
        self.role_combo.addItem(self.tr("Lead"), "lead")
        self.role_combo.addItem(self.tr("Assists"), "assist")
        self.add_button.setText(self.tr("Add as a new line"))
        self.add_button.setToolTip(self.tr("Add the form's values as a new line of the duty list"))
        self.remove_button.setText(self.tr("Remove line"))
        self.areas_button.setText(self.tr("Import areas…"))
        self.areas_button.setToolTip(self.tr(
            "Add duty areas (main roads, compounds, markets …) from a GeoPackage, Shapefile, "
            "GeoJSON or KML file; the kind comes from its kind field, else from Where"))
        self.filter_edit.setPlaceholderText(self.tr("Filter by category code or name"))
        self.dup_box.setTitle(self.tr("Near duplicates of this category"))
        self._dup_labels[0].setText(self.tr("Radius (m)"))
        self._dup_labels[1].setText(self.tr("Within (days)"))
        self.dup_save.setText(self.tr("Save radius and window"))
        if self.rows:
            self._on_selection_changed()

    # -- EditorDialog -------------------------------------------------------
    def headers(self) -> list[str]:
        return [self.tr("Category"), self.tr("Where"), self.tr("Handling"),
                self.tr("Department"), self.tr("Role")]

    def load_rows(self) -> list[dict[str, Any]]:
        rows = routing.duty_list(self.session)
        text = self.filter_edit.text().strip() if hasattr(self, "filter_edit") else ""
        if text:
            rows = [r for r in rows
                    if text in r["category_code"] or text in r["category_name"]]
        return rows

    def cells(self, row: dict[str, Any]) -> list[str]:
        return [f"{row['category_code']} {row['category_name']}",
                routing.area_kind_label(row["area_kind"]),
                Handling(row["handling"]).label,  # type: ignore[call-arg]
                row["department_name"] or "—",
                self.tr("Lead") if row["role"] == "lead" else self.tr("Assists")]

    def edit_title(self, row: dict[str, Any]) -> str:
        return f"{row['category_code']} {row['category_name']}"

    def fill_form(self, row: dict[str, Any] | None) -> None:
        if row is None:
            self.remove_button.setEnabled(False)
            self.dup_box.setEnabled(False)
            return
        for combo, value in ((self.category_combo, row["category_id"]),
                             (self.handling_combo, row["handling"]),
                             (self.department_combo, row["department_id"]),
                             (self.role_combo, row["role"])):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        i = self.area_combo.findData(row["area_kind"])
        if i < 0:
            self.area_combo.addItem(routing.area_kind_label(row["area_kind"]), row["area_kind"])
            i = self.area_combo.count() - 1
        self.area_combo.setCurrentIndex(i)
        self.note_edit.setText(row["note"] or "")
        can = self.session.can(self.permission)
        self.remove_button.setEnabled(can)
        self.dup_box.setEnabled(can)
        self._show_rule(int(row["category_id"]))

    def stored_values(self, row: dict[str, Any]) -> dict[str, Any]:
        return {k: row[k] for k in _FIELDS} | {"note": row["note"] or None}

    def form_values(self) -> dict[str, Any]:
        cat = self.category_combo.currentData()
        if cat is None or self.category_combo.currentText() != self.category_combo.itemText(
                self.category_combo.currentIndex()):
            raise ValidationError("请从列表中选择事件分类", "Choose a category from the list")
        text = self.area_combo.currentText().strip()
        i = self.area_combo.findText(text)
        area = self.area_combo.itemData(i) if i >= 0 else text or None
        return {"category_id": int(cat), "area_kind": area,
                "handling": self.handling_combo.currentData(),
                "department_id": self.department_combo.currentData(),
                "role": self.role_combo.currentData(),
                "note": self.note_edit.text().strip() or None}

    def write(self, key: Any, values: dict[str, Any]) -> Any:
        return routing.update_duty_line(self.session, int(key), **values)

    # -- add / remove ----------------------------------------------------------
    def add_line(self) -> int | None:
        """Add the form's values as a new line; its id, or None when refused."""
        try:
            values = self.form_values()
            line = routing.add_duty_line(self.session, **values)
        except GridAppError as exc:
            self.show_error(exc)
            return None
        title = self.category_combo.currentText()
        self.push_done(title,
                       lambda: routing.add_duty_line(self.session, restore_id=line, **values),
                       lambda: routing.remove_duty_line(self.session, line), key=line)
        self._fill_areas()
        self.reload(line)
        self.show_ok(self.tr("Added: {name}. Undo with Ctrl+Z.").format(name=title))
        return line

    def remove_line(self) -> bool:
        """Remove the selected line (undo adds it back)."""
        row = self.current_row()
        if row is None:
            return False
        line = int(row["id"])
        try:
            values = routing.remove_duty_line(self.session, line)
        except GridAppError as exc:
            self.show_error(exc)
            return False
        title = self.edit_title(row)
        self.push_done(title, lambda: routing.remove_duty_line(self.session, line),
                       lambda: routing.add_duty_line(self.session, restore_id=line, **values),
                       key=line)
        self.reload()
        self.show_ok(self.tr("Removed: {name}. Undo with Ctrl+Z.").format(name=title))
        return True

    # -- duty areas ------------------------------------------------------------
    def import_areas(self, path: str | None = None) -> list[int]:
        """Import duty areas from *path* (asked when None); undo removes them."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Import areas…"), "",
                self.tr("Vector files (*.gpkg *.shp *.geojson *.json *.kml *.kmz)"))
            if not path:
                return []
        kind = self.area_combo.currentData()
        state: dict[str, list[int]] = {}
        try:
            state["ids"] = routing.import_duty_areas(self.session, path, kind=kind)
        except GridAppError as exc:
            self.show_error(exc)
            return []

        def again() -> None:
            state["ids"] = routing.import_duty_areas(self.session, path, kind=kind)

        title = self.tr("{n} duty areas").format(n=len(state["ids"]))
        self.push_done(title, again, lambda: routing.remove_duty_areas(self.session,
                                                                        state["ids"]))
        self._fill_areas()
        counts = "、".join(f"{routing.area_kind_label(k)} {n}"
                          for k, n in routing.duty_areas(self.session))
        self.show_ok(self.tr("Imported {n} areas (now: {counts}). Undo with Ctrl+Z.").format(
            n=len(state["ids"]), counts=counts))
        return state["ids"]

    # -- near-duplicate radius -------------------------------------------------
    def _show_rule(self, category_id: int) -> None:
        try:
            rule = placement.category_duplicate_rule(self.session, category_id)
        except GridAppError as exc:
            self.show_error(exc)
            return
        self.radius_spin.setValue(rule.radius_m)
        self.days_spin.setValue(rule.days)
        self.dup_source.setText({
            "category": self.tr("Set for this category."),
            "built_in": self.tr("Built-in value for this category."),
            "class": self.tr("As its class."),
            "class_built_in": self.tr("Built-in value for its class."),
        }.get(rule.source, self.tr("General default.")))

    def save_duplicate_rule(self) -> bool:
        """Store the radius and window for the selected line's category (undoable)."""
        row = self.current_row()
        if row is None:
            return False
        cat = int(row["category_id"])
        radius, days = self.radius_spin.value(), self.days_spin.value()
        try:
            changes = placement.set_category_duplicate_rule(self.session, cat, radius, days)
        except GridAppError as exc:
            self.show_error(exc)
            return False
        # a column the save did not change held the value saved
        old_r = changes["duplicate_radius_m"][0] if "duplicate_radius_m" in changes else radius
        old_d = changes["duplicate_days"][0] if "duplicate_days" in changes else days
        title = f"{row['category_code']} {row['category_name']}"
        self.push_done(
            title, lambda: placement.set_category_duplicate_rule(self.session, cat, radius, days),
            lambda: placement.set_category_duplicate_rule(self.session, cat, old_r, old_d),
            key=row["id"])
        self._show_rule(cat)
        self.show_ok(self.tr("Saved: {name}. Undo with Ctrl+Z.").format(name=title))
        return True
