"""Run the field service: uvicorn over HTTPS in a thread, its address and QR code.

``FieldServer(phone_login, settings).start()`` makes (or reuses) the office
certificate, builds the app and serves it on a daemon thread until
:meth:`FieldServer.stop`.  It listens on 127.0.0.1 unless asked for the office
network (``lan=True``: all interfaces, and the address phones use is the PC's
LAN address).  ``serve`` (the CLI) blocks on :meth:`FieldServer.wait`; the
window keeps the server while its 外勤服务 switch is on.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from gridapp.errors import GridAppError
from gridapp.services.field.certificate import (
    TRUST_STEPS_EN,
    TRUST_STEPS_ZH,
    OfficeCertificate,
    office_certificate,
)
from gridapp.services.field.settings import FieldSettings
from gridapp.services.maps_out.qrcode import QRCode, url_qr
from gridapp.web.app import FieldApp, create_app

log = logging.getLogger(__name__)

DEFAULT_PORT = 8443


class ServeError(GridAppError):
    """The field service could not start (port taken, no network...)."""


def lan_address() -> str | None:
    """This PC's address on the office network, or ``None`` without one.

    Asks the routing table which local address would reach a private
    address; a UDP "connect" sends nothing.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            addr = s.getsockname()[0]
        except OSError:
            return None
    return None if addr.startswith("127.") or addr == "0.0.0.0" else addr


@dataclass(frozen=True)
class Address:
    url: str
    host: str
    port: int


class FieldServer:
    """The field service for one open workspace."""

    def __init__(self, phone_login: Any, settings: FieldSettings, *, port: int = DEFAULT_PORT,
                 lan: bool = False, host: str | None = None,
                 certificate_folder: Path | None = None, http: str = "h11",
                 loop: str = "asyncio") -> None:
        self.settings = settings
        # h11 and asyncio whatever else is installed: uvicorn's "auto" would take
        # httptools, which has no header size limit (h11's is set below), and
        # with uvloop too it saved 0.2 ms of ~13 ms CPU per report
        # (bench/field_phones.py --stacks plain,uvloop,auto; docs/field.md).
        self.http, self.loop = http, loop
        self.port = port
        self.lan = lan
        self.bind = host or ("0.0.0.0" if lan else "127.0.0.1")
        public = (lan_address() if lan else None) or ("127.0.0.1" if self.bind == "0.0.0.0"
                                                      else self.bind)
        self.public_host = public
        self.certificate: OfficeCertificate = office_certificate([public, self.bind],
                                                                  certificate_folder)
        self.app: FieldApp = create_app(phone_login, settings)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> Address:
        return Address(f"https://{self.public_host}:{self.port}/", self.public_host, self.port)

    @property
    def fingerprint(self) -> str:
        return self.certificate.fingerprint

    def qr(self) -> QRCode:
        return url_qr(self.address.url)

    @staticmethod
    def trust_steps(lang: str = "zh") -> str:
        return TRUST_STEPS_ZH if lang == "zh" else TRUST_STEPS_EN

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and \
            self._server is not None and self._server.started

    def start(self, timeout: float = 15.0) -> FieldServer:
        """Serve on a thread; returns once the socket listens (raises if it cannot)."""
        if self._thread is not None and self._thread.is_alive():
            return self
        sock = self._listen()
        config = uvicorn.Config(
            self.app, ssl_certfile=str(self.certificate.cert_path),
            ssl_keyfile=str(self.certificate.key_path), log_level="warning",
            access_log=False, lifespan="off", timeout_graceful_shutdown=5,
            http=self.http, loop=self.loop,
            limit_concurrency=200, h11_max_incomplete_event_size=64 * 1024)
        self._server = uvicorn.Server(config)
        self._server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name="gridapp-field-service", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                sock.close()
                raise ServeError("外勤服务未能启动", "The field service did not start")
            time.sleep(0.02)
        return self

    def _listen(self) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.bind, self.port))
        except OSError as exc:
            sock.close()
            raise ServeError("端口 {port} 无法使用（{err}）；请换一个端口（--port）",
                             "Port {port} cannot be used ({err}); choose another (--port)",
                             port=self.port, err=exc.strerror or str(exc)) from None
        sock.listen(128)
        sock.set_inheritable(True)
        return sock

    def stop(self, *, end_logins: bool = True) -> None:
        """Stop serving (in-flight requests get a few seconds); logins end too."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._thread = None
        self._server = None
        if end_logins:
            self.app.logins.clear()

    def wait(self) -> None:
        """Block until the server stops (Ctrl+C stops it)."""
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(0.5)
        except KeyboardInterrupt:
            self.stop()
            raise
