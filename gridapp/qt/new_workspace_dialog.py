"""New workspace: street name and codes, first administrator's password."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridAppError, ValidationError
from gridapp.qt.fit import FittedDialog


class NewWorkspaceDialog(FittedDialog):
    """Collects a :class:`~gridapp.services.workspace.StreetSpec` and creates the file."""

    def __init__(self, parent: QWidget | None = None, directory: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New workspace"))
        self.created: Path | None = None
        self.path = QLineEdit(self)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        self.directory = directory
        self.street_name = QLineEdit(self)
        self.office_name = QLineEdit(self)
        self.district_code = QLineEdit(self)
        self.district_code.setInputMask("999999")
        self.street_code = QLineEdit(self)
        self.street_code.setInputMask("999999999")
        self.admin_user = QLineEdit("admin", self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit(self)
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("File"), row)
        form.addRow(self.tr("Street name"), self.street_name)
        form.addRow(self.tr("Office name"), self.office_name)
        form.addRow(self.tr("District code (6 digits)"), self.district_code)
        form.addRow(self.tr("Street code (9 digits)"), self.street_code)
        form.addRow(self.tr("Administrator"), self.admin_user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Repeat password"), self.password2)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("New workspace"),
            self.directory,
            self.tr("GeoPackage (*.gpkg)"),
        )
        if path:
            self.path.setText(path if path.endswith(".gpkg") else path + ".gpkg")

    def create(self) -> bool:
        """Create the workspace; on a problem show it and stay open."""
        from gridapp.services.workspace import StreetSpec, create_workspace

        try:
            if not self.path.text().strip():
                raise ValidationError("请选择文件位置", "Choose where to save the file")
            if self.password.text() != self.password2.text():
                raise ValidationError(
                    "两次输入的密码不一致", "The passwords do not match"
                )
            spec = StreetSpec(
                self.district_code.text(),
                self.street_code.text(),
                self.street_name.text(),
                self.office_name.text(),
            )
            store: Any = create_workspace(
                Path(self.path.text()),
                spec,
                admin_username=self.admin_user.text().strip() or "admin",
                admin_password=self.password.text(),
            )
            store.close()
        except GridAppError as exc:
            self.error.setText(exc.message)
            return False
        self.created = Path(self.path.text())
        self.accept()
        return True
