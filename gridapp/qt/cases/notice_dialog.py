"""The 督办单 of an escalated case: shown as the printed page, saved as PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridAppError
from gridapp.printing.supervision_notice import notice_image, write_notice_pdf
from gridapp.qt.error_text import error_text
from gridapp.qt.fit import FittedDialog
from gridapp.qt.reports.common import ERROR_STYLE, OK_STYLE
from gridapp.services.cases.supervision import SupervisionNotice

PREVIEW_DPI = 80


class SupervisionNoticeDialog(FittedDialog):
    """Preview of one 督办单 with *Save as PDF…*.

    Parameters
    ----------
    notice : SupervisionNotice
        What the page shows (from the escalation, or built again to reprint).
    directory : str
        Where the save dialog starts.
    """

    def __init__(
        self,
        notice: SupervisionNotice,
        directory: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.notice = notice
        self.directory = directory
        self.saved_path: Path | None = None
        self.setWindowTitle(
            self.tr("Supervision notice {no}").format(no=notice.notice_no)
        )
        self.page = QLabel()
        self.page.setObjectName("noticePage")
        self.page.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.page.setPixmap(QPixmap.fromImage(notice_image(notice, PREVIEW_DPI)))
        scroll = QScrollArea()
        scroll.setWidget(self.page)
        scroll.setWidgetResizable(True)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.addButton(
            self.tr("Save as PDF…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button.clicked.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "The case was escalated to {to}. Print or save this notice "
                    "and send it with the case file."
                ).format(to=notice.addressee)
            )
        )
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        self.resize(720, 860)

    def default_name(self) -> str:
        return f"督办单_{self.notice.notice_no}.pdf"

    def save_pdf(self, path: str | Path) -> bool:
        """Write the PDF to *path*; the outcome is shown in the dialog."""
        try:
            self.saved_path = write_notice_pdf(path, self.notice)
        except (GridAppError, OSError) as exc:
            self.message_label.setStyleSheet(ERROR_STYLE)
            self.message_label.setText(error_text(exc))
            return False
        self.message_label.setStyleSheet(OK_STYLE)
        self.message_label.setText(self.tr("Saved {path}").format(path=str(path)))
        return True

    def _on_save_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save supervision notice"),
            str(Path(self.directory or ".") / self.default_name()),
            self.tr("PDF (*.pdf)"),
        )
        if path:
            self.save_pdf(path)
