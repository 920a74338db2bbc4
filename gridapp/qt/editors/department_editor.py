"""职能部门与联络人: departments' names and the liaison each one names.

The liaison (联络人) and their phone are what a task order and a summons
(吹哨) list for the department.  Saving goes through
:func:`gridapp.services.cases.lookups.update_department` (checked, audited);
a department that categories or the duty list still send work to cannot be
switched off.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QWidget

from gridapp.qt.editors.editor_dialog import EditorDialog
from gridapp.services.cases import lookups


class DepartmentEditor(EditorDialog):
    """The department list with a form for the selected department and its liaison."""

    permission = "department.edit"

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("departmentEditor")
        self.code_label = QLabel(self)
        self.code_label.setObjectName("departmentCode")
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("departmentName")
        self.short_edit = QLineEdit(self)
        self.short_edit.setObjectName("departmentShortName")
        self.person_edit = QLineEdit(self)
        self.person_edit.setObjectName("departmentLiaison")
        self.phone_edit = QLineEdit(self)
        self.phone_edit.setObjectName("departmentPhone")
        self.active_check = QCheckBox(self)
        self.active_check.setObjectName("departmentActive")
        self.add_rows(self.code_label, self.name_edit, self.short_edit, self.person_edit,
                      self.phone_edit)
        self.form.addRow("", self.active_check)
        self.accounts: dict[int, list[dict[str, Any]]] = {}
        self.accounts_label = self.add_note()
        self.accounts_label.setObjectName("departmentAccounts")
        self.retranslate()
        self.reload()

    def headers(self) -> list[str]:
        return [self.tr("Code"), self.tr("Name"), self.tr("Short name"), self.tr("Liaison"),
                self.tr("Phone"), self.tr("In use")]

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Departments and liaisons"))
        self.form_box.setTitle(self.tr("Department"))
        self.set_row_titles(self.tr("Code"), self.tr("Name"), self.tr("Short name"),
                            self.tr("Liaison"), self.tr("Liaison's phone"))
        self.phone_edit.setPlaceholderText(self.tr("Mobile or 0851-85551234"))
        self.active_check.setText(self.tr("In use (can be sent cases and summoned)"))

    def load_rows(self) -> list[dict[str, Any]]:
        if self.session.can("department.edit"):
            self.accounts = lookups.department_liaison_accounts(self.session)
        return lookups.department_rows(self.session)

    def cells(self, row: dict[str, Any]) -> list[str]:
        return [row["code"], row["name"], row["short_name"] or "",
                row["contact_person"] or "", row["contact_phone"] or "",
                "✓" if row["active"] else "—"]

    def fill_form(self, row: dict[str, Any] | None) -> None:
        row = row or {"code": "", "name": "", "short_name": "", "contact_person": "",
                      "contact_phone": "", "active": 1}
        self.code_label.setText(row["code"])
        self.name_edit.setText(row["name"])
        self.short_edit.setText(row["short_name"] or "")
        self.person_edit.setText(row["contact_person"] or "")
        self.phone_edit.setText(row["contact_phone"] or "")
        self.active_check.setChecked(bool(row["active"]))
        if "id" not in row:
            self.accounts_label.setText("")
            return
        names = [a["display_name"] + ("" if a["active"] else self.tr(" (disabled)"))
                 for a in self.accounts.get(row["id"], [])]
        self.accounts_label.setText(
            self.tr("Liaison accounts in GridApp: {names}").format(names="、".join(names))
            if names else self.tr("No liaison account in GridApp for this department "
                                  "(add one under People › Users)."))

    def stored_values(self, row: dict[str, Any]) -> dict[str, Any]:
        return {"name": row["name"], "short_name": row["short_name"] or "",
                "contact_person": row["contact_person"] or "",
                "contact_phone": row["contact_phone"] or "", "active": bool(row["active"])}

    def form_values(self) -> dict[str, Any]:
        return {"name": self.name_edit.text(), "short_name": self.short_edit.text(),
                "contact_person": self.person_edit.text().strip(),
                "contact_phone": self.phone_edit.text().strip(),
                "active": self.active_check.isChecked()}

    def write(self, key: Any, values: dict[str, Any]) -> Any:
        return lookups.update_department(self.session, key, **values)
