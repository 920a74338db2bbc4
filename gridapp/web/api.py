"""The field service's JSON API: login, 上报, 我的案件, 巡查.

Each endpoint is ``async def endpoint(request, login)``; the services run in a
worker thread.  :data:`ENDPOINTS` maps (method, first path segment) to
(endpoint, public); only login and the session probe are public.  Every
submission that changes something carries ``key``, the idempotency key the
phone made for it, and ``device_time``, the phone's clock.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gridapp.domain.timeutil import to_iso
from gridapp.errors import ValidationError
from gridapp.services.cases.reports import ReportDraft, search_categories
from gridapp.services.field import intake, lists, uploads
from gridapp.services.patrols.tracks import record_track
from gridapp.services.session import Session
from gridapp.web.logins import CSRF_COOKIE, SESSION_COOKIE, PhoneLogin
from gridapp.web.replies import clear_login_cookie, refuse, set_login_cookie

FORM_MARGIN = 1024 * 1024  # the text fields of a report, beside its photos


def cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


_photo_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def photo_pool() -> ThreadPoolExecutor:
    """Threads that decode and re-encode photos, one per core.

    Pillow releases the GIL while it decodes and encodes, so one thread per
    core keeps every core busy; more would only hold more decoded pictures
    in memory at once (50 phones × a 12 MP picture is ~1.8 GB) and make each
    take longer.  The event loop never decodes: it keeps answering (logins,
    我的案件, the queue's replays) while photos wait for a thread.
    """
    global _photo_pool
    with _pool_lock:
        if _photo_pool is None:
            _photo_pool = ThreadPoolExecutor(cores(), thread_name_prefix="field-photo")
        return _photo_pool


def _me(login: PhoneLogin, request: Request) -> dict[str, Any]:
    user = login.session.user
    settings = request.app.settings
    return {"user": {"username": user.username, "display_name": user.display_name,
                     "role": user.role.value, "role_label": user.role.zh,
                     "may_file": login.session.can("report.file"),
                     "may_patrol": login.session.can("patrol.record")
                     and user.manager_id is not None},
            "csrf": login.csrf, "idle_minutes": settings.idle_minutes,
            "max_photo_mb": settings.max_photo_bytes // 2**20,
            "max_photos": uploads.MAX_PHOTOS, "photo_side": uploads.FIELD_MAX_SIDE,
            "workspace": settings.workspace_name}


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise ValidationError("请求内容不是有效的 JSON", "The request is not valid JSON",
                              reason="bad_json")
    return body


def _number(value: Any, what_zh: str, what_en: str) -> float | None:
    if value in (None, "", "null", "undefined"):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError("{w}不是数字：{v}", "{we} is not a number: {v}", w=what_zh,
                              we=what_en, v=str(value)[:40], reason="bad_number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValidationError("{w}不是数字：{v}", "{we} is not a number: {v}", w=what_zh,
                              we=what_en, v=str(value)[:40], reason="bad_number")
    return number


# -- login -------------------------------------------------------------------------
async def login(request: Request, current: PhoneLogin | None) -> Response:
    body = await _json(request)
    app = request.app
    session: Session = await run_in_threadpool(
        app.phone_login, str(body.get("username", ""))[:80],
        str(body.get("password", ""))[:200])
    app.logins.end(request.cookies.get(SESSION_COOKIE))
    csrf = request.cookies.get(CSRF_COOKIE, "")
    token = app.logins.start(session, csrf)
    phone, _ = app.logins.get(token)
    response = JSONResponse(_me(phone, request))
    set_login_cookie(response, token)
    return response


async def logout(request: Request, current: PhoneLogin | None) -> Response:
    request.app.logins.end(request.cookies.get(SESSION_COOKIE))
    response = JSONResponse({"ok": True})
    clear_login_cookie(response)
    return response


async def me(request: Request, current: PhoneLogin | None) -> Response:
    if current is None:
        return refuse(401, "请先登录", "Log in first", "login_required")
    return JSONResponse(_me(current, request))


# -- 上报 --------------------------------------------------------------------------
async def categories(request: Request, current: PhoneLogin | None) -> Response:
    text = request.query_params.get("q", "")[:40]
    # Without a text: all of them, for the phone to search offline (pinyin included).
    rows = await run_in_threadpool(search_categories, current.session, text,
                                   limit=40 if text else 2000)
    return JSONResponse([{"id": r["id"], "code": r["code"], "name": r["name"],
                          "class_name": r.get("class_name") or "",
                          "pinyin": r.get("pinyin") or ""} for r in rows])


async def check(request: Request, current: PhoneLogin | None) -> Response:
    """Where the position falls and the near-duplicates, before filing."""
    body = await _json(request)
    draft = ReportDraft(category=_category(body),
                        lon=_number(body.get("lon"), "经度", "longitude"),
                        lat=_number(body.get("lat"), "纬度", "latitude"), crs="wgs84")
    found = await run_in_threadpool(lists.field_check, current.session, draft)
    p = found.placement
    return JSONResponse({
        "grid_code": p.grid_code, "grid_name": p.grid_name, "community": p.community_name,
        "address_hint": p.address_hint,
        "duplicates": [{"report_id": d.report_id, "case_no": d.case_no,
                        "status": d.status.zh, "distance_m": round(d.distance_m),
                        "reported_at": to_iso(d.reported_at),
                        "description": d.description[:120]} for d in found.duplicates]})


def _category(data: Any) -> int | str:
    """``category_id`` (what the page sends) or ``category`` (a code or name)."""
    ident = str(data.get("category_id") or "").strip()
    if ident:
        if not ident.isdigit():
            raise ValidationError("未知的事件分类“{category}”", "Unknown category '{category}'",
                                  category=ident[:20], reason="unknown_category")
        return int(ident)
    text = str(data.get("category") or "").strip()
    if not text:
        raise ValidationError("请选择事件分类", "Choose a category", reason="no_category")
    return text


async def _photos(request: Request, form: Any) -> list[Any]:
    """The form's photos, each checked and prepared on :func:`photo_pool` (the
    report's row is written after they are ready: no lock is held meanwhile)."""
    limit = request.app.settings.max_photo_bytes
    files = [f for f in form.getlist("photos") if isinstance(f, UploadFile)]
    if len(files) > uploads.MAX_PHOTOS:
        raise ValidationError("照片太多：每次最多 {n} 张", "Too many photos: at most {n}",
                              n=uploads.MAX_PHOTOS, reason="too_many_photos")
    loop = asyncio.get_running_loop()
    pending = []
    for f in files:
        raw = await f.read(limit + 1)
        pending.append(loop.run_in_executor(
            photo_pool(), partial(uploads.prepare_upload, raw, f.filename or "photo",
                                  max_bytes=limit)))
    return list(await asyncio.gather(*pending))


async def _form(request: Request) -> Any:
    limit = request.app.settings.max_photo_bytes * uploads.MAX_PHOTOS + FORM_MARGIN
    size = request.headers.get("content-length")
    if size is None or not size.isdigit():
        raise ValidationError("上传缺少长度信息", "The upload has no length",
                              reason="no_length")
    if int(size) > limit:
        raise ValidationError(
            "上传内容太大（{mb} MB），请减少照片或降低照片分辨率",
            "The upload is too large ({mb} MB); send fewer or smaller photos",
            mb=int(size) // 2**20, reason="too_big")
    return await request.form(max_files=uploads.MAX_PHOTOS + 1, max_fields=40)


async def reports(request: Request, current: PhoneLogin | None) -> Response:
    """File a report (multipart: the fields, ``photos`` files); 201, or 200 when replayed."""
    form = await _form(request)
    key = intake.checked_key(str(form.get("key", "")))
    photos = await _photos(request, form)
    lon = _number(form.get("lon"), "经度", "longitude")
    lat = _number(form.get("lat"), "纬度", "latitude")
    source = str(form.get("position_source", "gps"))[:10]
    if lon is None or lat is None:
        with_position = [p for p in photos if p.has_position]
        if not with_position:
            raise ValidationError(
                "没有位置：手机未取得 GPS 定位，照片中也没有位置；请在地图上点选位置",
                "No position: the phone has no GPS fix and no photo carries one; tap the "
                "place on the map", reason="no_position")
        lon, lat, source = with_position[0].lon, with_position[0].lat, "exif"
    draft = ReportDraft(category=_category(form), lon=lon, lat=lat,
                        crs="wgs84", description=str(form.get("description", ""))[:2000],
                        urgency=str(form.get("urgency") or "normal"))
    extra = {"accuracy_m": _number(form.get("accuracy"), "精度", "accuracy"),
             "position_source": source}
    filed = await run_in_threadpool(
        lambda: intake.file_field_report(
            current.session, draft, photos, idempotency_key=key,
            device_time=str(form.get("device_time", ""))[:40] or None,
            age_s=_number(form.get("age_s"), "时长", "age"), extra=extra))
    return JSONResponse(filed.as_dict(), status_code=200 if filed.replayed else 201)


# -- 我的案件 ------------------------------------------------------------------------
async def cases(request: Request, current: PhoneLogin | None) -> Response:
    """GET ``cases`` (我的案件), GET ``cases/<id>`` (one case); POST an action or photos."""
    parts = request.path_params["name"].split("/")
    if request.method == "GET":
        if len(parts) == 1:
            return JSONResponse(await run_in_threadpool(lists.my_field_cases, current.session))
        if len(parts) != 2 or not parts[1].isdigit():
            return refuse(404, "没有这个接口", "No such endpoint", "no_endpoint")
        return JSONResponse(await run_in_threadpool(lists.field_case_detail, current.session,
                                                    int(parts[1])))
    if len(parts) != 3 or not parts[1].isdigit() or parts[2] not in ("action", "photos"):
        return refuse(404, "没有这个接口", "No such endpoint", "no_endpoint")
    report_id = int(parts[1])
    if parts[2] == "photos":
        form = await _form(request)
        key = intake.checked_key(str(form.get("key", "")))
        photos = await _photos(request, form)
        done = await run_in_threadpool(
            lambda: intake.add_field_photos(current.session, report_id, photos,
                                            idempotency_key=key,
                                            device_time=str(form.get("device_time", ""))[:40]))
    else:
        body = await _json(request)
        done = await run_in_threadpool(
            lambda: intake.field_case_action(
                current.session, report_id, str(body.get("action", "")),
                str(body.get("note", ""))[:1000], idempotency_key=str(body.get("key", "")),
                device_time=str(body.get("device_time", ""))[:40]))
    return JSONResponse(done, status_code=200 if done.get("replayed") else 201)


async def photo(request: Request, current: PhoneLogin | None) -> Response:
    """GET ``photos/<attachment id>``: the stored JPEG, for a case the user may read."""
    parts = request.path_params["name"].split("/")
    if len(parts) != 2 or not parts[1].isdigit():
        return refuse(404, "没有这个接口", "No such endpoint", "no_endpoint")
    data = await run_in_threadpool(lists.field_photo, current.session, int(parts[1]))
    return Response(data, media_type="image/jpeg",
                    headers={"cache-control": "private, no-store"})


async def grids(request: Request, current: PhoneLogin | None) -> Response:
    return JSONResponse(await run_in_threadpool(lists.my_grids_geojson, current.session))


# -- 巡查 ----------------------------------------------------------------------------
async def tracks(request: Request, current: PhoneLogin | None) -> Response:
    """A patrol track: ``{"key", "points": [[lon, lat, iso_time, accuracy_m|null], ...]}``."""
    body = await _json(request)
    raw = body.get("points")
    if not isinstance(raw, list) or len(raw) > 50_000:
        raise ValidationError("轨迹点无效", "Invalid track points", reason="bad_points")
    points = []
    for p in raw:
        if not isinstance(p, list | tuple) or len(p) < 3:
            raise ValidationError("轨迹点无效", "Invalid track points", reason="bad_points")
        points.append((p[0], p[1], str(p[2]), p[3] if len(p) > 3 else None))
    key = intake.checked_key(str(body.get("key", "")))
    track_id = await run_in_threadpool(
        lambda: record_track(current.session, points, crs="wgs84", idempotency_key=key))
    return JSONResponse({"track_id": track_id, "points": len(points)}, status_code=201)


ENDPOINTS: dict[tuple[str, str], tuple[Any, bool]] = {
    ("POST", "login"): (login, True),
    ("POST", "logout"): (logout, True),
    ("GET", "me"): (me, True),
    ("GET", "categories"): (categories, False),
    ("POST", "check"): (check, False),
    ("POST", "reports"): (reports, False),
    ("GET", "cases"): (cases, False),
    ("POST", "cases"): (cases, False),
    ("GET", "grids"): (grids, False),
    ("GET", "photos"): (photo, False),
    ("POST", "tracks"): (tracks, False),
}
