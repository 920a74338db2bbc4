"""What the phone reads (我的案件, a case, its photos, the check, its grids): through the
services with the role's permission and record scope, and each in the audit log as the
logged-in user (issue 20, Security: every request audited)."""

from __future__ import annotations

import io
import json

from PIL import Image

from gridapp.services.cases.photos import add_photos, photo_data, report_photos
from gridapp.services.cases.reports import ReportDraft, file_report
from gridapp.services.field.uploads import prepare_upload
from tests.web.conftest import jpeg, login


def views(street, what: str) -> list[dict]:
    """The phone's read entries in the audit log for *what*, oldest first."""
    rows = street.store.query(
        "SELECT actor, user_id, action, table_name, row_id, changes FROM audit_log "
        "WHERE action = 'field_view' ORDER BY id")
    out = []
    for r in rows:
        changes = json.loads(r["changes"])
        if changes["what"] == what:
            out.append({**dict(r), **changes})
    return out


def case_with_photo(street) -> tuple[int, int]:
    """A case in the manager's grid 0 (the reporter's phone given) with one photo."""
    lon, lat = street.inside(0)
    rid = file_report(street.session("manager"),
                      ReportDraft(category="0401", lon=lon, lat=lat, description="井盖缺失",
                                  reporter_name="张三", reporter_phone="13912345678")).report_id
    add_photos(street.session("manager"), rid, [prepare_upload(jpeg(), "p.jpg")])
    aid = report_photos(street.session("manager"), rid)[0]["id"]
    return rid, aid


def test_my_cases_are_logged_as_the_manager_with_the_ids_shown(client, field_street):
    rid, _ = case_with_photo(field_street)
    login(client, "manager")
    shown = [c["id"] for c in client.get("/api/cases").json()]
    assert rid in shown
    [entry] = views(field_street, "my_cases")
    assert entry["actor"] == "manager"
    assert entry["user_id"] == field_street.users["manager"].id
    assert entry["ids"] == sorted(shown) and entry["count"] == len(shown)
    assert entry["via"] == "phone"


def test_a_case_is_read_with_its_photos_and_logged(client, field_street):
    rid, aid = case_with_photo(field_street)
    login(client, "manager")
    r = client.get(f"/api/cases/{rid}")
    assert r.status_code == 200, r.text
    case = r.json()
    assert case["description"] == "井盖缺失"
    assert [p["id"] for p in case["photos"]] == [aid]
    assert [e["action_label"] for e in case["events"]] == ["上报"]
    [entry] = views(field_street, "case_detail")
    assert (entry["actor"], entry["table_name"], entry["row_id"]) == ("manager", "report", rid)


def test_the_reporters_phone_follows_the_role(client, field_street):
    rid, _ = case_with_photo(field_street)
    login(client, "leader")  # a leader reads every case, the reporter's data masked
    r = client.get(f"/api/cases/{rid}")
    assert r.status_code == 200, r.text
    assert "13912345678" not in r.text and "张三" not in r.text
    assert views(field_street, "case_detail")[0]["actor"] == "leader"
    login(client, "manager")  # the grid's manager reaches it: in full, and that is logged
    assert client.get(f"/api/cases/{rid}").json()["reporter_phone"] == "13912345678"
    full = field_street.store.query(
        "SELECT actor FROM audit_log WHERE action = 'view_personal' AND table_name = 'report' "
        "AND row_id = ?", (rid,))
    assert [r["actor"] for r in full] == ["manager"]


def test_a_case_outside_the_managers_grids_is_refused_and_not_logged_as_read(
        client, field_street):
    rid, aid = case_with_photo(field_street)
    login(client, "manager2")
    assert client.get(f"/api/cases/{rid}").status_code == 403
    assert client.get(f"/api/photos/{aid}").status_code == 403
    assert views(field_street, "case_detail") == [] and views(field_street, "photo") == []


def test_a_photo_is_served_to_whoever_may_read_its_case_and_logged(client, field_street):
    rid, aid = case_with_photo(field_street)
    login(client, "manager")
    r = client.get(f"/api/photos/{aid}")
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/jpeg"
    assert "no-store" in r.headers["cache-control"]
    assert r.content == photo_data(field_street.session("manager"), aid)
    assert Image.open(io.BytesIO(r.content)).format == "JPEG"
    [entry] = views(field_street, "photo")
    assert (entry["actor"], entry["table_name"], entry["row_id"]) == ("manager", "attachment", aid)


def test_reads_need_a_login(client, field_street):
    rid, aid = case_with_photo(field_street)
    assert client.get(f"/api/cases/{rid}").status_code == 401
    assert client.get(f"/api/photos/{aid}").status_code == 401
    assert client.get("/api/photos/x").status_code == 401  # no login: nothing is looked up
    login(client, "manager")
    assert client.get("/api/photos/x").status_code == 404
    assert client.get(f"/api/photos/{aid + 1000}").status_code == 404
    assert views(field_street, "photo") == []


def test_the_check_logs_the_near_duplicates_it_showed(client, field_street):
    rid, _ = case_with_photo(field_street)
    login(client, "manager")
    lon, lat = field_street.inside(0)
    r = client.post("/api/check", json={"category": "0401", "lon": lon, "lat": lat},
                    headers={"X-CSRF-Token": client.cookies.get("gridapp_csrf")})
    assert r.status_code == 200, r.text
    shown = [d["report_id"] for d in r.json()["duplicates"]]
    assert rid in shown
    [entry] = views(field_street, "check")
    assert entry["actor"] == "manager" and entry["ids"] == sorted(shown)


def test_the_grids_read_are_the_managers_own_and_logged(client, field_street):
    login(client, "manager2")
    r = client.get("/api/grids")
    assert r.status_code == 200
    codes = sorted(f["properties"]["code"] for f in r.json()["features"])
    [entry] = views(field_street, "grids")
    assert entry["actor"] == "manager2" and entry["count"] == len(codes) >= 1
    own = {int(g) for g in entry["ids"]}
    rows = field_street.store.query(
        "SELECT g.id, g.code FROM grid g JOIN grid_assignment a ON a.grid_id = g.id "
        "WHERE a.manager_id = ?", (field_street.users["manager2"].manager_id,))
    assert own == {r["id"] for r in rows} and codes == sorted(r["code"] for r in rows)
