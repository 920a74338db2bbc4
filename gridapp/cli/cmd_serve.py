"""``serve``: the field service for grid managers' phones (外勤服务).

Serves the mobile page over HTTPS with a certificate GridApp makes for this
computer, and prints the address, a QR code to scan and the certificate's
fingerprint (check it on the phone before trusting the certificate).  It
listens on this computer only (127.0.0.1) unless ``--lan`` opens it to the
office network.  Whoever starts it logs in (``field.serve``: administrators
and office staff); phones log in with their own accounts.  Ctrl+C stops it.

Examples::

    gridapp serve street.gpkg --lan
    gridapp serve street.gpkg --port 9443 --as office
"""

from __future__ import annotations

import argparse
import sys

from gridapp.cli.cmd_users import add_login_args, login_session
from gridapp.i18n import language, pick


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="field service for phones over HTTPS (外勤服务)",
                       description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("path", help="workspace .gpkg")
    p.add_argument("--port", type=int, default=8443, help="HTTPS port (默认 8443)")
    p.add_argument("--lan", action="store_true",
                   help="listen on the office network, not only this computer (局域网)")
    p.add_argument("--host", help="listen on this address instead (advanced)")
    add_login_args(p)
    p.set_defaults(handler=cmd_serve)


def qr_text(matrix) -> str:
    """A QR matrix as text for a terminal: two modules per character (half blocks)."""
    rows = [list(r) for r in matrix]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    chars = {(False, False): "█", (True, True): " ", (True, False): "▄", (False, True): "▀"}
    return "\n".join("".join(chars[(top, bottom)] for top, bottom in zip(a, b, strict=True))
                     for a, b in zip(rows[::2], rows[1::2], strict=True))


def cmd_serve(args: argparse.Namespace) -> int:
    from gridapp.services.field.settings import field_settings, phone_logins
    from gridapp.services.workspace import open_workspace
    from gridapp.web.server import FieldServer

    workspace = open_workspace(args.path)
    try:
        session = login_session(args, workspace)
        settings = field_settings(session)
        server = FieldServer(phone_logins(session), settings, port=args.port, lan=args.lan,
                             host=args.host).start()
        url = server.address.url
        print(qr_text(server.qr().matrix()))
        print(pick("外勤服务已启动：{url}", "Field service running: {url}", url=url))
        print(pick("证书指纹（SHA-256）：{fp}", "Certificate fingerprint (SHA-256): {fp}",
                   fp=server.fingerprint))
        print(pick("证书文件：{p}", "Certificate file: {p}", p=server.certificate.cert_path))
        if not args.lan and not args.host:
            print(pick("只在本机可用；加 --lan 让办公室网络中的手机访问",
                       "Reachable from this computer only; add --lan for phones on the "
                       "office network"))
        print(server.trust_steps(language()))
        print(pick("按 Ctrl+C 停止", "Press Ctrl+C to stop"), flush=True)
        sys.stdout.flush()
        server.wait()
    finally:
        workspace.close()
    return 0
