"""文件 › 连接服务器…: a street on the district server (issue 16).

Host, port, database, login and street code, or a libpq service name and a
street code; the password (optional: libpq may find it in pgpass or the
service file) is kept only when 记住密码 is ticked, and then in the OS keyring
or the pgpass file (:mod:`.passwords`), never in the settings.  测试连接 and
连接 both check the address on a worker (:func:`gridapp.services.server_check.
check_server`): a wrong password, a server that is down, a street that is not
there or a schema newer than this GridApp is said in the dialog, and nothing
is opened or remembered.  After 连接 succeeded, :attr:`url` is the address the
window opens and the connection (without password) is remembered.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridAppError
from gridapp.qt.error_text import error_text
from gridapp.qt.fit import FittedDialog
from gridapp.qt.server import connection as conns
from gridapp.qt.server import passwords
from gridapp.qt.server.connection import ServerConnection
from gridapp.qt.worker import WorkerThread
from gridapp.services import server_check

OK_STYLE = "color: #1a7f37;"
ERROR_STYLE = "color: #c62828;"


class ServerConnectDialog(FittedDialog):
    """Asks where the street is; checks it off the GUI thread; remembers it without password."""

    checked = Signal(object)  # ServerCheck
    checkFailed = Signal(str)  # the message shown

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverConnectDialog")
        self.settings = settings
        self.url: str | None = None
        self.connection: ServerConnection | None = None
        self.found: server_check.ServerCheck | None = None
        self.worker: WorkerThread | None = None
        self._connecting = False
        self._recalled: ServerConnection | None = None  # whose stored password the form shows

        self.remembered = QComboBox(self)
        self.remembered.setObjectName("serverRemembered")
        self.forget_button = QPushButton(self)
        self.forget_button.setObjectName("serverForget")
        self.use_service = QCheckBox(self)
        self.use_service.setObjectName("serverUseService")
        self.service = QLineEdit(self)
        self.service.setObjectName("serverService")
        self.host = QLineEdit(self)
        self.host.setObjectName("serverHost")
        self.port = QSpinBox(self)
        self.port.setObjectName("serverPort")
        self.port.setRange(1, 65535)
        self.port.setValue(conns.DEFAULT_PORT)
        self.database = QLineEdit(self)
        self.database.setObjectName("serverDatabase")
        self.user = QLineEdit(self)
        self.user.setObjectName("serverUser")
        self.street = QLineEdit(self)
        self.street.setObjectName("serverStreet")
        self.street.setMaxLength(9)
        self.password = QLineEdit(self)
        self.password.setObjectName("serverPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_password = QCheckBox(self)
        self.remember_password.setObjectName("serverRememberPassword")
        self.where = QLabel(self)
        self.where.setObjectName("serverPasswordWhere")
        self.where.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("serverResult")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setMinimumHeight(40)
        self.test_button = QPushButton(self)
        self.test_button.setObjectName("serverTest")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.setObjectName("serverButtons")

        top = QHBoxLayout()
        top.addWidget(self.remembered, 1)
        top.addWidget(self.forget_button)
        self.form = QFormLayout()
        self._labels = [QLabel(self) for _ in range(8)]
        for label, widget in zip(self._labels, (
                top, self.use_service, self.service, self.host, self.port, self.database,
                self.user, self.street), strict=True):
            self.form.addRow(label, widget)
        self._password_label = QLabel(self)
        self.form.addRow(self._password_label, self.password)
        self.form.addRow("", self.remember_password)
        self.form.addRow("", self.where)
        bottom = QHBoxLayout()
        bottom.addWidget(self.test_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addLayout(bottom)

        self.remembered.activated.connect(self._on_remembered_chosen)
        self.forget_button.clicked.connect(self.forget_selected)
        self.use_service.toggled.connect(self._on_mode_changed)
        self.test_button.clicked.connect(self.test_connection)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.retranslate()
        self._fill_remembered()
        if self.remembered.count() > 1:
            self.remembered.setCurrentIndex(1)
            self._on_remembered_chosen(1)
        self._on_mode_changed(self.use_service.isChecked())

    # -- texts -----------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Connect to the district server"))
        for label, text in zip(self._labels, (
                self.tr("Remembered"), "", self.tr("Service name"), self.tr("Server"),
                self.tr("Port"), self.tr("Database"), self.tr("Login"),
                self.tr("Street code")), strict=True):
            label.setText(text)
        self._password_label.setText(self.tr("Password"))
        self.use_service.setText(self.tr("Use a libpq service name (pg_service.conf)"))
        self.forget_button.setText(self.tr("Forget"))
        self.forget_button.setToolTip(self.tr("Remove this connection and its remembered password"))
        self.host.setPlaceholderText(self.tr("e.g. 10.1.2.3 or db.district.gov.cn"))
        self.street.setPlaceholderText(self.tr("9 digits, e.g. 520102003"))
        self.password.setPlaceholderText(self.tr("empty: from pgpass or the service file"))
        self.remember_password.setText(self.tr("Remember the password"))
        self.test_button.setText(self.tr("Test connection"))
        self.test_button.setToolTip(self.tr("Log in to the server and look for the street; "
                                            "nothing is opened or saved"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Connect"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        if self.remembered.count():
            self.remembered.setItemText(0, self.tr("(new connection)"))
        self._show_where()

    def _show_where(self) -> None:
        if passwords.keyring_backend() is not None:
            text = self.tr("A remembered password goes to the system keyring, never to "
                           "GridApp's settings.")
        else:
            text = self.tr("A remembered password goes to the pgpass file {path} "
                           "(readable by you only), never to GridApp's settings.").format(
                path=str(passwords.pgpass_path()))
        self.where.setText(text)

    # -- remembered connections -------------------------------------------------
    def _fill_remembered(self) -> None:
        self.remembered.clear()
        self.remembered.addItem(self.tr("(new connection)"), None)
        for c in conns.remembered(self.settings):
            self.remembered.addItem(c.label(), c.to_json())
        self.forget_button.setEnabled(False)  # until a remembered one is chosen

    def _on_remembered_chosen(self, index: int) -> None:
        data = self.remembered.itemData(index)
        conn = ServerConnection.from_json(data) if data else None
        self.forget_button.setEnabled(conn is not None)
        if conn is None:
            return
        self.set_connection(conn)
        self.password.setText(passwords.recall(conn) or "")
        self._recalled = conn if self.password.text() else None
        self.remember_password.setChecked(bool(self.password.text()))

    def set_connection(self, conn: ServerConnection) -> None:
        """Fill the form with *conn* (no password)."""
        self.use_service.setChecked(bool(conn.service))
        self.service.setText(conn.service)
        self.host.setText(conn.host)
        self.port.setValue(conn.port)
        self.database.setText(conn.database)
        self.user.setText(conn.user)
        self.street.setText(conn.street)

    def forget_selected(self) -> None:
        data = self.remembered.currentData()
        conn = ServerConnection.from_json(data) if data else None
        if conn is None:
            return
        passwords.forget(conn)
        conns.forget(self.settings, conn)
        self._fill_remembered()
        self._show(self.tr("Forgotten: {name}").format(name=conn.label()), ok=True)

    def _on_mode_changed(self, service: bool) -> None:
        for w in (self.host, self.port, self.database, self.user):
            w.setEnabled(not service)
        self.service.setEnabled(service)

    # -- checking ----------------------------------------------------------------
    def form_connection(self) -> ServerConnection:
        """The form as a connection (checked: :class:`ValidationError` names what is missing)."""
        service = self.use_service.isChecked()
        return ServerConnection(
            host="" if service else self.host.text(), port=self.port.value(),
            database="" if service else self.database.text(),
            user="" if service else self.user.text(), street=self.street.text(),
            service=self.service.text() if service else "").validated()

    def _url(self, conn: ServerConnection) -> str:
        pw = self.password.text()
        return conn.url(passwords.session_passfile(conn, pw) if pw else None)

    def test_connection(self) -> None:
        """Check the form's address on a worker; the result shows in the dialog."""
        self._start(connect=False)

    def accept(self) -> None:  # 连接: check first, close only when it worked
        self._start(connect=True)

    def _start(self, *, connect: bool) -> None:
        if self.worker is not None:
            return
        try:
            conn = self.form_connection()
        except GridAppError as exc:
            self._show(error_text(exc), ok=False)
            self.checkFailed.emit(self.message.text())
            return
        url = self._url(conn)
        self._connecting = connect
        self._set_busy(True)
        self._show(self.tr("Connecting to {name}…").format(name=conn.label()), ok=True)
        worker = self.worker = WorkerThread(
            lambda progress, cancel: server_check.check_server(url), self)
        worker.succeeded.connect(lambda found: self._on_checked(conn, url, found))
        worker.failed.connect(self._on_failed)
        worker.finished.connect(self._on_finished)
        worker.start()

    def _on_finished(self) -> None:
        if self.worker is not None:
            self.worker.deleteLater()
        self.worker = None
        self._set_busy(False)

    def _on_checked(self, conn: ServerConnection, url: str, found: Any) -> None:
        self.found = found
        self._show(self.tr("Connected: {street} ({code}), {n} grids, schema version {v}.")
                   .format(street=found.street_name, code=found.street_code,
                           n=found.current_grids, v=found.schema_version), ok=True)
        if self._connecting:
            try:
                self._keep(conn)
            except OSError as exc:
                self._show(self.tr("The password could not be remembered: {error}").format(
                    error=str(exc)), ok=False)
                self.checkFailed.emit(self.message.text())
                return
            self.connection, self.url = conn, url
            super().accept()
        self.checked.emit(found)

    def _keep(self, conn: ServerConnection) -> None:
        conns.remember(self.settings, conn)
        pw = self.password.text()
        if pw and self.remember_password.isChecked() and passwords.can_remember(conn):
            passwords.remember(conn, pw)
        elif not self.remember_password.isChecked() and self._recalled == conn:
            # the user unticked a password GridApp had kept; a pgpass line written
            # by hand (never shown as remembered) is left alone
            passwords.forget(conn)

    def _on_failed(self, exc: BaseException) -> None:
        self._show(error_text(exc), ok=False)
        self.checkFailed.emit(self.message.text())

    def _set_busy(self, busy: bool) -> None:
        self.test_button.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)

    def _show(self, text: str, *, ok: bool) -> None:
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.message.setText(text)

    def done(self, result: int) -> None:  # closing waits for a check in flight
        if self.worker is not None:
            self.worker.wait()
            self._on_finished()
        super().done(result)
