"""What the field service answers: JSON errors in Chinese (and English), cookies."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from gridapp.errors import (
    AuthenticationError,
    GridAppError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
    WorkflowError,
)
from gridapp.web.logins import SESSION_COOKIE


def cookie(name: str, value: str, *, http_only: bool, max_age: int | None = None) -> str:
    parts = [f"{name}={value}", "Path=/", "Secure", "SameSite=Strict"]
    if http_only:
        parts.append("HttpOnly")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts)


def error_response(exc: GridAppError) -> JSONResponse:
    status = (401 if isinstance(exc, AuthenticationError)
              else 403 if isinstance(exc, PermissionDenied)
              else 404 if isinstance(exc, NotFoundError)
              else 409 if isinstance(exc, WorkflowError)
              else 422 if isinstance(exc, ValidationError) else 400)
    return JSONResponse({"error": exc.message_in("zh"), "error_en": exc.message_in("en"),
                         "reason": exc.params.get("reason")}, status_code=status,
                        headers={"cache-control": "no-store"})


def refuse(status: int, zh: str, en: str, reason: str) -> JSONResponse:
    return JSONResponse({"error": zh, "error_en": en, "reason": reason}, status_code=status,
                        headers={"cache-control": "no-store"})


def set_login_cookie(response: Response, token: str) -> None:
    response.headers.append("set-cookie", cookie(SESSION_COOKIE, token, http_only=True))


def clear_login_cookie(response: Response) -> None:
    response.headers.append("set-cookie", cookie(SESSION_COOKIE, "", http_only=True,
                                                 max_age=0))
