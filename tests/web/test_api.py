"""The field service's API through Starlette's TestClient (issue 20).

Logins (same passwords and lockout as the window), CSRF, idle timeout, reports
filed once per idempotency key with their photos, permissions and record
scope, the manager's cases and actions, patrol tracks.
"""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from PIL import Image

from gridapp.domain.timeutil import FixedClock, from_iso, use_clock
from gridapp.services.cases.photos import photo_data, report_photos
from gridapp.services.cases.reports import ReportDraft, file_report, get_case
from gridapp.services.cases.workflow import advance_case
from gridapp.services.people.auth import is_locked
from tests.web.conftest import PASSWORD, jpeg, login

T0 = "2026-11-20T02:00:00Z"


def csrf(client) -> dict[str, str]:
    return {"X-CSRF-Token": client.cookies.get("gridapp_csrf")}


def key() -> str:
    return str(uuid.uuid4())


def file(client, street, *, grid=0, photos=(), k=None, **fields):
    lon, lat = street.inside(grid)
    data = {"category": "0401", "lon": str(lon), "lat": str(lat), "description": "占道摆摊",
            "key": k or key(), **fields}
    files = [("photos", (name, raw, "image/jpeg")) for name, raw in photos]
    return client.post("/api/reports", data=data, files=files or None, headers=csrf(client))


def report_count(street) -> int:
    return int(street.store.scalar("SELECT count(*) FROM report"))


# -- logins ----------------------------------------------------------------------------------
def test_login_sets_a_strict_http_only_cookie_and_answers_who(client):
    r = login(client, "manager")
    assert r.status_code == 200
    assert r.json()["user"]["role"] == "manager"
    cookie = [v for k, v in r.headers.multi_items() if k == "set-cookie"
              and v.startswith("gridapp_session=")][0]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Strict" in cookie
    assert client.get("/api/me").json()["user"]["username"] == "manager"


def test_failed_phone_logins_lock_the_account_like_the_window(client, field_street):
    for _ in range(5):
        r = login(client, "manager", "wrong-password")
        assert r.status_code == 401
        assert "登录失败" in r.json()["error"]
    assert is_locked(field_street.admin, "manager")
    assert login(client, "manager", PASSWORD).status_code == 401  # locked: right password too


def test_api_needs_a_login(client):
    r = client.get("/api/cases")
    assert r.status_code == 401 and r.json()["reason"] == "login_required"


def test_idle_login_ends(client):
    with use_clock(FixedClock(T0)) as clock:
        login(client, "manager")
        clock.advance(timedelta(minutes=29))
        assert client.get("/api/cases").status_code == 200  # use keeps it alive
        clock.advance(timedelta(minutes=31))
        r = client.get("/api/cases")
    assert r.status_code == 401 and r.json()["reason"] == "login_expired"
    assert "重新登录" in r.json()["error"]


# -- CSRF and headers --------------------------------------------------------------------------
def test_posts_without_the_csrf_token_are_refused(client, field_street):
    r = client.post("/api/login", json={"username": "manager", "password": PASSWORD})
    assert r.status_code == 403 and r.json()["reason"] == "csrf"
    login(client, "manager")
    lon, lat = field_street.inside(0)
    before = report_count(field_street)
    r = client.post("/api/reports", data={"category": "0401", "lon": lon, "lat": lat,
                                          "key": key()},
                    headers={"X-CSRF-Token": "forged-token-of-another-page"})
    assert r.status_code == 403 and r.json()["reason"] == "csrf"
    assert report_count(field_street) == before


def test_posts_from_another_site_are_refused(client):
    r = client.post("/api/login", json={"username": "manager", "password": PASSWORD},
                    headers={**csrf(client), "Origin": "https://evil.example"})
    assert r.status_code == 403 and r.json()["reason"] == "cross_origin"


def test_page_is_served_with_a_strict_content_policy(client):
    r = client.get("/")
    assert r.status_code == 200 and "GridApp 外勤" in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert "http" not in r.text.replace("https://", "")  # no CDN or remote script
    assert client.get("/leaflet/leaflet.js").status_code == 200
    assert client.get("/sw.js").headers["service-worker-allowed"] == "/"


# -- filing ------------------------------------------------------------------------------------
def test_report_with_photo_files_once_per_key(client, field_street):
    login(client, "manager")
    k = key()
    raw = jpeg(106.7025, 26.5725, extra_exif={0x013B: "Owner Name", 0x010F: "PhoneMaker"})
    with use_clock(FixedClock(T0)):
        first = file(client, field_street, photos=[("IMG_1.jpg", raw)], k=k, age_s="600",
                     device_time="2019-01-01T00:00:00Z")
        again = file(client, field_street, photos=[("IMG_1.jpg", raw)], k=k)
    assert first.status_code == 201, first.text
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert again.json()["case_no"] == first.json()["case_no"]
    assert report_count(field_street) == 1
    rid = first.json()["report_id"]
    case = get_case(field_street.session("manager"), rid)
    # The phone's clock said 2019; the server's time minus the phone's 10 minutes counts.
    assert from_iso(case["reported_at"]) == from_iso(T0) - timedelta(minutes=10)
    photos = report_photos(field_street.session("manager"), rid)
    assert len(photos) == 1
    stored = Image.open(io.BytesIO(photo_data(field_street.session("manager"), photos[0]["id"])))
    exif = stored.getexif()
    gps = exif.get_ifd(0x8825)
    lat = gps[2][0] + gps[2][1] / 60 + gps[2][2] / 3600
    assert abs(lat - 26.5725) < 1e-5  # the GPS position stays in the file
    assert 0x013B not in exif and 0x010F not in exif  # the owner's name and maker do not
    row = field_street.store.query("SELECT device_time, received_at FROM field_submission")[0]
    assert row["device_time"] == "2019-01-01T00:00:00Z"
    assert from_iso(row["received_at"]) == from_iso(T0)


def test_two_copies_of_one_queued_report_racing_file_once(client, field_street):
    from concurrent.futures import ThreadPoolExecutor

    login(client, "manager")
    k = key()
    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(lambda _: file(client, field_street, k=k).status_code, range(4)))
    assert sorted(codes).count(201) == 1 and codes.count(200) == 3
    assert report_count(field_street) == 1


def test_position_from_the_photo_when_the_phone_has_no_fix(client, field_street):
    login(client, "manager")
    lon, lat = field_street.inside(1)
    r = client.post("/api/reports", data={"category": "0401", "key": key()},
                    files=[("photos", ("p.jpg", jpeg(lon, lat), "image/jpeg"))],
                    headers=csrf(client))
    assert r.status_code == 201, r.text
    case = get_case(field_street.session("manager"), r.json()["report_id"])
    assert case["grid_id"] == field_street.grids[1]


def test_no_position_at_all_is_refused_with_what_to_do(client, field_street):
    login(client, "manager")
    r = client.post("/api/reports", data={"category": "0401", "key": key()},
                    headers=csrf(client))
    assert r.status_code == 422 and r.json()["reason"] == "no_position"
    assert "地图上点选" in r.json()["error"]


def test_outside_the_managers_grids_is_refused_and_nothing_stored(client, field_street):
    login(client, "manager")
    r = file(client, field_street, grid=3)  # manager2's grid
    assert r.status_code == 403 and r.json()["reason"] == "outside_own_grids"
    assert report_count(field_street) == 0


def test_a_leader_may_not_file(client, field_street):
    login(client, "leader")
    r = file(client, field_street)
    assert r.status_code == 403
    assert report_count(field_street) == 0


def test_a_40_mb_photo_is_refused_clearly(client, field_street):
    login(client, "manager")
    huge = b"\xff\xd8\xff\xe0" + bytes(40 * 2**20)
    r = file(client, field_street, photos=[("big.jpg", huge)])
    assert r.status_code == 422 and r.json()["reason"] == "too_big"
    assert "太大" in r.json()["error"]
    assert report_count(field_street) == 0


def test_files_that_are_not_images_are_refused(client, field_street):
    login(client, "manager")
    r = file(client, field_street, photos=[("x.jpg", b"<html><script>alert(1)</script>")])
    assert r.status_code == 422 and r.json()["reason"] == "not_image"


def test_a_heic_photo_is_stored_as_jpeg(client, field_street):
    pillow_heif = pytest.importorskip("pillow_heif")
    heif = pillow_heif.from_pillow(Image.new("RGB", (320, 240), (200, 30, 30)))
    out = io.BytesIO()
    heif.save(out, quality=60)
    login(client, "manager")
    r = file(client, field_street, photos=[("IMG_2.HEIC", out.getvalue())])
    assert r.status_code == 201, r.text
    aid = r.json()["attachment_ids"][0]
    stored = photo_data(field_street.session("manager"), aid)
    assert stored[:3] == b"\xff\xd8\xff"


def test_a_bad_key_is_refused(client, field_street):
    login(client, "manager")
    r = file(client, field_street, k="x")
    assert r.status_code == 422 and r.json()["reason"] == "bad_key"


# -- before filing: placement and near-duplicates ------------------------------------------------
def test_check_names_the_grid_and_near_duplicates(client, field_street):
    lon, lat = field_street.inside(0)
    earlier = file_report(field_street.session("manager"),
                          ReportDraft(category="0401", lon=lon + 0.0001, lat=lat,
                                      description="占道经营"))
    login(client, "manager")
    cat = field_street.categories["0401"]
    r = client.post("/api/check", json={"lon": lon, "lat": lat, "category_id": cat},
                    headers=csrf(client))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["grid_code"] == "520102003001001"
    assert [d["case_no"] for d in body["duplicates"]] == [earlier.case_no]
    assert 5 < body["duplicates"][0]["distance_m"] < 15  # 0.0001° of longitude here ≈ 10 m


def test_categories_are_searched_by_pinyin_initials(client):
    login(client, "manager")
    names = [c["name"] for c in client.get("/api/categories", params={"q": "zd"}).json()]
    assert "占道经营" in names


# -- 我的案件 ----------------------------------------------------------------------------------------
def _handler_done(street) -> int:
    lon, lat = street.inside(0)
    rid = file_report(street.session("manager"),
                      ReportDraft(category="0401", lon=lon, lat=lat, description="x",
                                  reporter_phone="13912345678")).report_id
    for action, who in (("register", "dispatcher"), ("dispatch", "dispatcher"),
                        ("start", "liaison"), ("finish", "liaison")):
        advance_case(street.session(who), rid, action)
    return rid


def test_my_cases_offer_the_managers_actions_and_hide_personal_data(client, field_street):
    rid = _handler_done(field_street)
    login(client, "manager")
    r = client.get("/api/cases")
    assert r.status_code == 200
    case = next(c for c in r.json() if c["id"] == rid)
    assert {a["id"] for a in case["actions"]} == {"verify", "send_back"}
    assert case["waiting"] is True and case["deadline"]
    assert "13912345678" not in r.text
    login(client, "manager2")
    assert rid not in [c["id"] for c in client.get("/api/cases").json()]


def test_verify_from_the_phone_happens_once(client, field_street):
    rid = _handler_done(field_street)
    login(client, "manager")
    k = key()
    body = {"action": "verify", "key": k, "device_time": "2026-11-20T10:00:00+08:00"}
    first = client.post(f"/api/cases/{rid}/action", json=body, headers=csrf(client))
    again = client.post(f"/api/cases/{rid}/action", json=body, headers=csrf(client))
    assert first.status_code == 201 and first.json()["to_status"] == "verified"
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert field_street.store.scalar(
        "SELECT count(*) FROM case_event WHERE report_id = ? AND action = 'verify'", (rid,)) == 1


def test_another_managers_case_is_refused(client, field_street):
    rid = _handler_done(field_street)
    login(client, "manager2")
    r = client.post(f"/api/cases/{rid}/action", json={"action": "verify", "key": key()},
                    headers=csrf(client))
    assert r.status_code == 403


def test_extra_photos_for_a_case_attach_once(client, field_street):
    rid = _handler_done(field_street)
    login(client, "manager")
    k = key()
    for expected in (201, 200):
        r = client.post(f"/api/cases/{rid}/photos", data={"key": k},
                        files=[("photos", ("p.jpg", jpeg(), "image/jpeg"))], headers=csrf(client))
        assert r.status_code == expected, r.text
    assert len(report_photos(field_street.session("manager"), rid)) == 1


# -- 巡查 ------------------------------------------------------------------------------------------------
def test_a_patrol_track_is_recorded_once(client, field_street):
    login(client, "manager")
    (x0, y0), (x1, y1) = field_street.inside(0, 0.2, 0.2), field_street.inside(0, 0.8, 0.8)
    points = [[x0, y0, "2026-11-20T09:00:00+08:00", 5.0],
              [(x0 + x1) / 2, (y0 + y1) / 2, "2026-11-20T09:05:00+08:00", 6.0],
              [x1, y1, "2026-11-20T09:10:00+08:00", None]]
    k = key()
    first = client.post("/api/tracks", json={"key": k, "points": points}, headers=csrf(client))
    again = client.post("/api/tracks", json={"key": k, "points": points}, headers=csrf(client))
    assert first.status_code == 201, first.text
    assert again.json()["track_id"] == first.json()["track_id"]
    assert field_street.store.scalar("SELECT count(*) FROM patrol_track") == 1
