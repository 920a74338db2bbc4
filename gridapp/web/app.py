"""The field service's ASGI application (Starlette).

:func:`create_app` takes the phone login of whoever started the server
(:func:`gridapp.services.field.settings.phone_logins`: the web layer never
holds the workspace) and their settings.  It
serves the page (``resources/web/field``), Leaflet, the service worker at the
root (its scope is the whole site) and the JSON API of :mod:`gridapp.web.api`.

Every API call runs the services in a worker thread (they are synchronous;
the store keeps one reader per thread and one writer behind a lock).  Errors
GridApp raises on purpose become JSON ``{"error": <message in Chinese>,
"reason": ...}`` with a status that says what kind they are; anything else is
a 500 with a short message (the details go to the server's log).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from gridapp.errors import GridAppError
from gridapp.services.field.settings import FieldSettings
from gridapp.web import api
from gridapp.web.logins import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    PhoneLogin,
    PhoneLogins,
    csrf_ok,
    new_csrf,
    same_origin,
)
from gridapp.web.replies import cookie, error_response, refuse

log = logging.getLogger(__name__)

WEB = Path(__file__).resolve().parents[2] / "resources" / "web"
PAGE = WEB / "field"
LEAFLET = WEB / "leaflet"

# Only this server's own files: no CDN, no inline script (the page has none).
CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
       "script-src 'self'; connect-src 'self'; worker-src 'self'; frame-ancestors 'none'; "
       "base-uri 'none'; form-action 'self'")


class FieldApp(Starlette):
    """The Starlette app plus what its endpoints share."""

    phone_login: Callable[[str, str], Any]
    settings: FieldSettings
    logins: PhoneLogins


def create_app(phone_login: Callable[[str, str], Any], settings: FieldSettings) -> FieldApp:
    """The field service whose phones log in through *phone_login* (user, password)."""
    routes = [
        Route("/", _page),
        Route("/sw.js", _service_worker),
        Route("/api/{name:path}", _api, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=PAGE), name="static"),
        Mount("/leaflet", StaticFiles(directory=LEAFLET), name="leaflet"),
    ]
    app = FieldApp(routes=routes)
    app.phone_login = phone_login
    app.settings = settings
    app.logins = PhoneLogins(timedelta(minutes=settings.idle_minutes))
    app.add_middleware(_Headers)
    return app


class _Headers:
    """Security headers on every response, and the CSRF cookie where it is missing."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        need_cookie = CSRF_COOKIE not in request.cookies

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", CSP.encode()),
                            (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer"),
                            (b"x-frame-options", b"DENY"),
                            (b"strict-transport-security", b"max-age=31536000")]
                if need_cookie:
                    headers.append((b"set-cookie", cookie(CSRF_COOKIE, new_csrf(),
                                                           http_only=False).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _page(request: Request) -> Response:
    return FileResponse(PAGE / "index.html", headers={"cache-control": "no-cache"})


async def _service_worker(request: Request) -> Response:
    return FileResponse(PAGE / "sw.js", media_type="text/javascript",
                        headers={"cache-control": "no-cache", "service-worker-allowed": "/"})


Handler = Callable[[Request, PhoneLogin | None], Awaitable[Response]]


async def _api(request: Request) -> Response:
    app: FieldApp = request.app
    name = request.path_params["name"]
    found = api.ENDPOINTS.get((request.method, name.split("/")[0]))
    if found is None:
        return refuse(404, "没有这个接口", "No such endpoint", "no_endpoint")
    handler, public = found
    token = request.cookies.get(SESSION_COOKIE)
    login, expired = app.logins.get(token)
    if request.method == "POST":
        if not same_origin(request.headers):
            return refuse(403, "请求来自其他网站，已拒绝", "Refused: the request came from "
                          "another site", "cross_origin")
        if not csrf_ok(request.headers, request.cookies, login):
            return refuse(403, "页面已过期，请刷新页面后重试", "The page has expired; reload it "
                          "and try again", "csrf")
    if login is None and not public:
        if expired:
            return refuse(401, "长时间未操作，已退出登录，请重新登录（未发送的内容仍保存在手机上）",
                          "Logged out after a long idle time; log in again (unsent items are "
                          "kept on the phone)", "login_expired")
        return refuse(401, "请先登录", "Log in first", "login_required")
    try:
        response = await handler(request, login)
    except GridAppError as exc:
        return error_response(exc)
    except Exception:  # noqa: BLE001 - the phone gets a message, the log the details
        log.exception("field service: %s %s failed", request.method, request.url.path)
        return refuse(500, "服务器出错，内容已保存在手机上，稍后会自动重试", "Server error; the "
                      "item is kept on the phone and will be retried", "server_error")
    response.headers.setdefault("cache-control", "no-store")
    return response
