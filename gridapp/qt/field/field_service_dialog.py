"""The 外勤服务 dialog: start or stop the phones' page, its QR code and fingerprint.

The switch starts :class:`gridapp.web.server.FieldServer` for the window's
session (``field.serve``); phones log in with their own accounts.  The dialog
shows the address as a QR code to scan, the certificate's SHA-256 fingerprint
to compare on the phone, and how to trust the certificate on Android and iOS.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from gridapp.errors import GridAppError
from gridapp.i18n import language
from gridapp.qt.fit import FittedDialog


class FieldServiceDialog(FittedDialog):
    """Start/stop switch, address, QR code, fingerprint and trust steps."""

    def __init__(self, feature: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.feature = feature
        self.setObjectName("fieldServiceDialog")
        self.lan = QCheckBox(self)
        self.lan.setChecked(True)
        self.port = QSpinBox(self)
        self.port.setRange(1024, 65535)
        self.port.setValue(feature.port)
        self.switch = QPushButton(self)
        self.switch.setObjectName("fieldServiceSwitch")
        self.switch.setCheckable(True)
        self.switch.clicked.connect(self._on_switch_clicked)
        self.qr = QLabel(self)
        self.qr.setObjectName("fieldServiceQr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setMinimumSize(240, 240)
        self.address = QLabel(self)
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint = QLabel(self)
        self.fingerprint.setWordWrap(True)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.steps = QLabel(self)
        self.steps.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.form = QFormLayout()
        self.form.addRow("", self.lan)
        self.form.addRow("", self.port)
        self.form.addRow("", self.address)
        self.form.addRow("", self.fingerprint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        top = QHBoxLayout()
        top.addWidget(self.switch)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.form)
        layout.addWidget(self.qr)
        layout.addWidget(self.steps)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Field service for phones"))
        self.lan.setText(self.tr("Phones on the office network may connect (LAN)"))
        labels = (self.tr("Port"), self.tr("Address"), self.tr("Certificate fingerprint"))
        for row, text in zip((1, 2, 3), labels, strict=True):
            item = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and item.widget() is not None:
                item.widget().setText(text)
            else:
                self.form.setWidget(row, QFormLayout.ItemRole.LabelRole, QLabel(text, self))
        self.refresh()

    def refresh(self) -> None:
        server = self.feature.server
        running = server is not None and server.running
        self.switch.setChecked(running)
        self.switch.setText(self.tr("Stop the field service") if running
                            else self.tr("Start the field service"))
        self.lan.setEnabled(not running)
        self.port.setEnabled(not running)
        if not running:
            self.address.setText(self.tr("(not running)"))
            self.fingerprint.setText("")
            self.qr.clear()
            self.steps.setText("")
            return
        self.address.setText(server.address.url)
        self.fingerprint.setText(server.fingerprint)
        image = QImage.fromData(server.qr().png(scale=8))
        self.qr.setPixmap(QPixmap.fromImage(image))
        self.steps.setText(server.trust_steps(language()))
        self.status.setText(self.tr("Scan the QR code with the phone, then compare the "
                                    "fingerprint before trusting the certificate."))

    def _on_switch_clicked(self, checked: bool) -> None:
        try:
            if checked:
                self.feature.start(port=self.port.value(), lan=self.lan.isChecked())
            else:
                self.feature.stop()
        except GridAppError as exc:
            self.status.setText(str(exc))
        self.refresh()
