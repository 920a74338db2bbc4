"""居民类别: the resident categories the street cares for, editable (issue 18).

A small list (code, name, in use, residents carrying it) with a form to rename a
category or retire it, and a line to add one.  Saving goes through
:mod:`gridapp.services.basedata.categories` (checked, audited); undo and redo
call the services again.  Undoing an addition retires the category (codes are
never deleted: residents' records hold them).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton, QWidget

from gridapp.errors import GridAppError
from gridapp.qt.editors.editor_dialog import EditorDialog
from gridapp.services.basedata import categories


class ResidentCategoryEditor(EditorDialog):
    """Resident categories: rename, retire or restore, add."""

    permission = "category.edit"

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("residentCategoryEditor")
        self.code_label = QLabel(self)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("residentCategoryName")
        self.active_check = QCheckBox(self)
        self.active_check.setObjectName("residentCategoryActive")
        self._labels = [QLabel(self), QLabel(self)]
        self.form.addRow(self._labels[0], self.code_label)
        self.form.addRow(self._labels[1], self.name_edit)
        self.form.addRow("", self.active_check)
        self.new_code = QLineEdit(self)
        self.new_code.setObjectName("residentCategoryNewCode")
        self.new_name = QLineEdit(self)
        self.new_name.setObjectName("residentCategoryNewName")
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("residentCategoryAdd")
        self.add_button.clicked.connect(self.add)
        self.add_button.setEnabled(session.can(self.permission))
        for w in (self.new_code, self.new_name, self.add_button):
            self.top_area.addWidget(w)
        self.retranslate()
        self.reload()

    def headers(self) -> list[str]:
        return [self.tr("Code"), self.tr("Name"), self.tr("In use"), self.tr("Residents")]

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Resident categories"))
        self.form_box.setTitle(self.tr("Category"))
        self._labels[0].setText(self.tr("Code"))
        self._labels[1].setText(self.tr("Name"))
        self.active_check.setText(self.tr("In use (offered for new entries)"))
        self.new_code.setPlaceholderText(self.tr("New code, e.g. veteran"))
        self.new_name.setPlaceholderText(self.tr("Name, e.g. 退役军人"))
        self.add_button.setText(self.tr("Add category"))

    def key_of(self, row: dict[str, Any]) -> Any:
        return row["code"]

    def load_rows(self) -> list[dict[str, Any]]:
        return [{"code": c.code, "name": c.name, "active": c.active, "residents": c.residents}
                for c in categories.list_categories(self.session)]

    def cells(self, row: dict[str, Any]) -> list[str]:
        return [row["code"], row["name"], "✓" if row["active"] else "—", str(row["residents"])]

    def fill_form(self, row: dict[str, Any] | None) -> None:
        row = row or {"code": "", "name": "", "active": True}
        self.code_label.setText(row["code"])
        self.name_edit.setText(row["name"])
        self.active_check.setChecked(bool(row["active"]))

    def stored_values(self, row: dict[str, Any]) -> dict[str, Any]:
        return {"name": row["name"], "active": bool(row["active"])}

    def form_values(self) -> dict[str, Any]:
        return {"name": self.name_edit.text().strip(), "active": self.active_check.isChecked()}

    def write(self, key: Any, values: dict[str, Any]) -> Any:
        return categories.update_category(self.session, key, **values)

    def add(self) -> bool:
        code, name = self.new_code.text().strip(), self.new_name.text().strip()
        try:
            categories.add_category(self.session, code, name)
        except GridAppError as exc:
            self.show_error(exc)
            return False
        self.push_done(name, lambda: categories.update_category(self.session, code,
                                                                active=True),
                       lambda: categories.update_category(self.session, code, active=False),
                       code)
        self.new_code.clear()
        self.new_name.clear()
        self.reload(code)
        self.show_ok(self.tr("Added: {name}. Undo retires it.").format(name=name))
        return True
