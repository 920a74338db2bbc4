"""事件与部件分类: names, time limits, default handlers of the GB/T 30428 classes.

Event classes (事件, codes ``01``…) and component classes (部件, codes ``B01``…)
are listed together by code, with a filter; a sub-category's time limit is
what its cases' deadlines count from.  Saving goes through
:func:`gridapp.services.cases.lookups.update_category` (checked, audited).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from gridapp.domain.enums import TimeUnit
from gridapp.domain.taxonomy import COMPONENT_PREFIX
from gridapp.i18n import pick
from gridapp.qt.editors.editor_dialog import EditorDialog
from gridapp.services.cases import lookups


def _limit_text(value: Any) -> str:
    return "" if value is None else f"{float(value):g}"


class CategoryEditor(EditorDialog):
    """The category list with a form for the selected category."""

    permission = "category.edit"

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        self._departments: dict[int, str] = {}
        super().__init__(session, parent)
        self.setObjectName("categoryEditor")
        self.kind_filter = QComboBox(self)
        self.kind_filter.setObjectName("categoryKind")
        for key in ("all", "event", "component"):
            self.kind_filter.addItem("", key)
        self.kind_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.kind_label = QLabel(self)
        self.top_area.addWidget(self.kind_label)
        self.top_area.addWidget(self.kind_filter)
        self.top_area.addStretch(1)

        self.code_label = QLabel(self)
        self.code_label.setObjectName("categoryCode")
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("categoryName")
        self.limit_edit = QLineEdit(self)
        self.limit_edit.setObjectName("categoryLimit")
        self.unit_combo = QComboBox(self)
        self.unit_combo.setObjectName("categoryUnit")
        for unit in TimeUnit:
            self.unit_combo.addItem(unit.zh, unit.value)
        self.department_combo = QComboBox(self)
        self.department_combo.setObjectName("categoryDepartment")
        self.active_check = QCheckBox(self)
        self.active_check.setObjectName("categoryActive")
        self.add_rows(self.code_label, self.name_edit, self.limit_edit, self.unit_combo,
                      self.department_combo)
        self.form.addRow("", self.active_check)
        self.retranslate()
        self.reload()

    # -- EditorDialog ----------------------------------------------------------
    def headers(self) -> list[str]:
        return [self.tr("Code"), self.tr("Name"), self.tr("Time limit"),
                self.tr("Default department"), self.tr("In use")]

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Categories (events and components)"))
        self.form_box.setTitle(self.tr("Category"))
        self.kind_label.setText(self.tr("Show"))
        for i, text in enumerate((self.tr("All classes"), self.tr("Events (事件)"),
                                  self.tr("Components (部件)"))):
            self.kind_filter.setItemText(i, text)
        self.set_row_titles(self.tr("Code"), self.tr("Name"), self.tr("Time limit"),
                            self.tr("Unit"), self.tr("Default department"))
        self.limit_edit.setPlaceholderText(self.tr("e.g. 2 (a class has none)"))
        self.active_check.setText(self.tr("In use (offered when filing)"))

    def load_rows(self) -> list[dict[str, Any]]:
        self._departments = {int(d["id"]): d["name"]
                             for d in lookups.department_rows(self.session)}
        self._fill_departments()
        rows = lookups.category_rows(self.session)
        kind = self.kind_filter.currentData() if hasattr(self, "kind_filter") else "all"
        if kind == "event":
            rows = [r for r in rows if not r["code"].startswith(COMPONENT_PREFIX)]
        elif kind == "component":
            rows = [r for r in rows if r["code"].startswith(COMPONENT_PREFIX)]
        return rows

    def _fill_departments(self) -> None:
        keep = self.department_combo.currentData()
        self.department_combo.blockSignals(True)
        self.department_combo.clear()
        self.department_combo.addItem(self.tr("(none)"), None)
        for dep_id, name in self._departments.items():
            self.department_combo.addItem(name, dep_id)
        self.department_combo.setCurrentIndex(max(0, self.department_combo.findData(keep)))
        self.department_combo.blockSignals(False)

    def cells(self, row: dict[str, Any]) -> list[str]:
        indent = "" if row["parent_id"] is None else "    "
        limit = ""
        if row["time_limit"] is not None:
            unit = TimeUnit(row["time_unit"] or TimeUnit.WORKDAY.value)
            limit = f"{_limit_text(row['time_limit'])} {pick(unit.zh, unit.en)}"
        return [row["code"], indent + row["name"], limit,
                self._departments.get(row["department_id"], ""),
                "✓" if row["active"] else "—"]

    def fill_form(self, row: dict[str, Any] | None) -> None:
        row = row or {"code": "", "name": "", "time_limit": None, "time_unit": None,
                      "department_id": None, "active": 1, "parent_id": None}
        self.code_label.setText(row["code"])
        self.name_edit.setText(row["name"])
        self.limit_edit.setText(_limit_text(row["time_limit"]))
        self.unit_combo.setCurrentIndex(
            max(0, self.unit_combo.findData(row["time_unit"] or TimeUnit.WORKDAY.value)))
        self.department_combo.setCurrentIndex(
            max(0, self.department_combo.findData(row["department_id"])))
        self.active_check.setChecked(bool(row["active"]))

    def stored_values(self, row: dict[str, Any]) -> dict[str, Any]:
        return {"name": row["name"], "time_limit": _limit_text(row["time_limit"]),
                "time_unit": row["time_unit"] or TimeUnit.WORKDAY.value
                if row["time_limit"] is not None else None,
                "department_id": row["department_id"], "active": bool(row["active"])}

    def form_values(self) -> dict[str, Any]:
        limit = self.limit_edit.text().strip()
        return {"name": self.name_edit.text(), "time_limit": limit,
                "time_unit": self.unit_combo.currentData() if limit else None,
                "department_id": self.department_combo.currentData(),
                "active": self.active_check.isChecked()}

    def write(self, key: Any, values: dict[str, Any]) -> Any:
        if "time_unit" in values and values["time_unit"] is None:
            values = {k: v for k, v in values.items() if k != "time_unit"}
        return lookups.update_category(self.session, key, **values)

    def edit_title(self, row: dict[str, Any]) -> str:
        return f"{row['code']} {row['name']}"
