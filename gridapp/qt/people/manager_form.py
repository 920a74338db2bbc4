"""Add or edit one grid manager, with a message beside each field that is wrong."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from gridapp.domain.enums import Employment
from gridapp.errors import GridAppError, PermissionDenied, ValidationError
from gridapp.qt.error_text import error_text
from gridapp.qt.fit import FittedDialog
from gridapp.services.people import managers as svc

from .common import ERROR_STYLE
from .photo_picker import PhotoPicker

FIELDS = ("name", "phone", "staff_no", "photo")


class ManagerForm(FittedDialog):
    """Add (``manager_id=None``) or edit a manager; photo chosen from a file.

    On OK every field is checked with the services' own rules and each
    problem is shown under its field; nothing is written until all pass.
    :attr:`manager_id` holds the saved manager's id afterwards.
    """

    saved = Signal(int)

    def __init__(
        self, session: Any, manager_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("managerForm")
        self.session = session
        self.manager_id = manager_id
        self.original: dict[str, Any] = {}
        self.name_edit = QLineEdit(self)
        self.phone_edit = QLineEdit(self)
        self.staff_edit = QLineEdit(self)
        self.employment = QComboBox(self)
        for e in Employment:
            self.employment.addItem("", e.value)
        self.photo = PhotoPicker(self)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setFixedHeight(70)
        self.errors: dict[str, QLabel] = {}
        for key in FIELDS:
            label = QLabel(self)
            label.setObjectName(f"error_{key}")
            label.setStyleSheet(ERROR_STYLE)
            label.setWordWrap(True)
            label.hide()
            self.errors[key] = label
        self.general_error = QLabel(self)
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.form = QFormLayout()
        self._labels = [QLabel(self) for _ in range(6)]
        rows = (
            (self.name_edit, "name"),
            (self.phone_edit, "phone"),
            (self.staff_edit, "staff_no"),
            (self.employment, None),
            (self.photo, "photo"),
            (self.notes_edit, None),
        )
        for label, (widget, key) in zip(self._labels, rows, strict=True):
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(widget)
            if key:
                box.addWidget(self.errors[key])
            self.form.addRow(label, box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.retranslate()
        if manager_id is not None:
            self._load(manager_id)

    def retranslate(self) -> None:
        self.setWindowTitle(
            self.tr("New grid manager")
            if self.manager_id is None
            else self.tr("Edit grid manager")
        )
        for label, text in zip(
            self._labels,
            (
                self.tr("Name"),
                self.tr("Phone"),
                self.tr("Staff no."),
                self.tr("Employment"),
                self.tr("Photo"),
                self.tr("Notes"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.employment.setItemText(0, self.tr("Full-time"))
        self.employment.setItemText(1, self.tr("Part-time"))
        self.phone_edit.setPlaceholderText(self.tr("11-digit mobile or 0851-85551234"))
        self.photo.retranslate()

    def _load(self, manager_id: int) -> None:
        row = svc.get_manager(self.session, manager_id)
        self.original = dict(row)
        self.name_edit.setText(row["name"] or "")
        self.phone_edit.setText(row["phone"] or "")
        self.staff_edit.setText(row["staff_no"] or "")
        self.employment.setCurrentIndex(
            max(self.employment.findData(row["employment"]), 0)
        )
        self.notes_edit.setPlainText(row["notes"] or "")
        self.photo.show_bytes(svc.manager_photo(self.session, manager_id))

    # ------------------------------------------------------------ checking
    def values(self) -> dict[str, Any]:
        return {
            "name": self.name_edit.text(),
            "phone": self.phone_edit.text(),
            "staff_no": self.staff_edit.text(),
            "employment": self.employment.currentData(),
            "notes": self.notes_edit.toPlainText(),
        }

    def set_error(self, key: str | None, text: str) -> None:
        label = self.errors.get(key or "", self.general_error)
        label.setText(text)
        label.setVisible(bool(text))

    def error_of(self, key: str) -> str:
        label = self.errors[key]
        return label.text() if not label.isHidden() else ""

    def validate(self) -> bool:
        """Check every field; show each problem under its field.  True if all pass."""
        for key in (*FIELDS, None):
            self.set_error(key, "")
        v = self.values()
        checks = (
            ("name", svc.normalize_name),
            ("phone", svc.normalize_phone),
            ("staff_no", svc.normalize_staff_no),
        )
        ok = True
        for key, check in checks:
            try:
                value = check(v[key])
            except ValidationError as exc:
                self.set_error(key, exc.message)
                ok = False
                continue
            if key == "staff_no":
                try:
                    svc.check_staff_no_free(self.session, value, self.manager_id)
                except ValidationError as exc:
                    self.set_error(key, exc.message)
                    ok = False
        if self.photo.path is not None:
            if self.photo.error:
                self.set_error("photo", self.photo.error)
                ok = False
            else:
                try:
                    svc.prepare_photo(
                        self.photo.path.read_bytes(),
                        size=16,
                        max_bytes=svc.photo_max_bytes(self.session),
                    )
                except (ValidationError, OSError) as exc:
                    self.set_error(
                        "photo",
                        error_text(exc) if isinstance(exc, GridAppError) else str(exc),
                    )
                    ok = False
        return ok

    def save(self) -> bool:
        """Validate and write; True when saved (errors are shown in the form)."""
        if not self.validate():
            return False
        v = self.values()
        try:
            if self.manager_id is None:
                self.manager_id = svc.add_manager(self.session, **v)
            else:
                changes = {
                    k: val
                    for k, val in v.items()
                    if str(val or "").strip() != str(self.original.get(k) or "")
                }
                if changes:
                    svc.update_manager(self.session, self.manager_id, **changes)
            if self.photo.path is not None:
                svc.set_manager_photo(self.session, self.manager_id, self.photo.path)
        except PermissionDenied as exc:
            self.set_error(None, error_text(exc))
            return False
        except GridAppError as exc:
            field = next(
                (k for k in ("staff_no", "phone", "name") if k in exc.params), None
            )
            self.set_error(field, error_text(exc))
            return False
        self.saved.emit(self.manager_id)
        return True

    def accept(self) -> None:
        if self.save():
            super().accept()
