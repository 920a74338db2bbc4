"""Filing reports: positions in every input system, placement, refusals, duplicates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from shapely.geometry import Point, box

from gridapp.domain import coords
from gridapp.domain.enums import Role
from gridapp.domain.timeutil import now_iso
from gridapp.errors import PermissionDenied, ValidationError
from gridapp.services.cases.reports import (
    ReportDraft,
    check_report,
    file_report,
    find_near_duplicates,
    locate,
    position_from_text,
)
from gridapp.services.session import Session, User, system_session

# A 2 × 2 block of grids in one community, about 1 km × 1.1 km, in Guiyang.
X0, Y0, DX, DY = 106.700, 26.570, 0.005, 0.005


@dataclass
class Street:
    store: object
    grids: list[int]
    community: int
    users: dict[str, User]
    categories: dict[str, int]
    departments: dict[str, int]

    def session(self, who: str) -> Session:
        return Session(self.store, self.users[who])

    def inside(
        self, grid: int = 0, fx: float = 0.5, fy: float = 0.5
    ) -> tuple[float, float]:
        """A position inside grid *grid* (0..3) at fractions fx, fy of it."""
        i, j = grid % 2, grid // 2
        return X0 + (i + fx) * DX, Y0 + (j + fy) * DY


def make_street(store) -> Street:
    """Community, four grids, named buildings, a manager and one user per role."""
    with store.transaction("test") as tx:
        whole = box(X0, Y0, X0 + 2 * DX, Y0 + 2 * DY)
        tx.insert("street", {"geom": whole, "name": "测试街道"})
        cid = tx.insert(
            "community", {"geom": whole, "name": "花果园社区", "code": "520102003001"}
        )
        grids = []
        for k in range(4):
            i, j = k % 2, k // 2
            grids.append(
                tx.insert(
                    "grid",
                    {
                        "geom": box(
                            X0 + i * DX,
                            Y0 + j * DY,
                            X0 + (i + 1) * DX,
                            Y0 + (j + 1) * DY,
                        ),
                        "code": f"520102003001{k + 1:03d}",
                        "name": f"第{k + 1}网格",
                        "community_id": cid,
                        "valid_from": "2026-01-01T00:00:00.000Z",
                    },
                )
            )
        tx.insert(
            "building",
            {
                "geom": box(X0 + 0.002, Y0 + 0.002, X0 + 0.0023, Y0 + 0.0023),
                "name": "3栋",
                "address": "花果园路12号",
                "community_id": cid,
            },
        )
        tx.insert(
            "place", {"geom": Point(X0 + 0.0075, Y0 + 0.0075), "name": "农贸市场"}
        )
        mid = tx.insert(
            "manager", {"name": "张三", "staff_no": "G001", "phone": "13800000000"}
        )
        mid2 = tx.insert("manager", {"name": "李四", "staff_no": "G002"})
        for g in grids[:2]:
            tx.insert(
                "grid_assignment",
                {
                    "manager_id": mid,
                    "grid_id": g,
                    "valid_from": "2026-01-01T00:00:00.000Z",
                },
            )
        tx.insert(
            "grid_assignment",
            {
                "manager_id": mid2,
                "grid_id": grids[3],
                "valid_from": "2026-01-01T00:00:00.000Z",
            },
        )
        deps = {
            r["code"]: r["id"] for r in tx.execute("SELECT id, code FROM department")
        }
        cats = {r["code"]: r["id"] for r in tx.execute("SELECT id, code FROM category")}
        roles = {
            r["name"]: r["id"] for r in tx.execute("SELECT id, name FROM app_role")
        }
        users = {}
        for name, role, dep, man in [
            ("admin1", Role.ADMIN, None, None),
            ("office", Role.OFFICE, None, None),
            ("dispatcher", Role.DISPATCHER, None, None),
            ("liaison", Role.LIAISON, deps["CG"], None),
            ("liaison_jd", Role.LIAISON, deps["JD"], None),
            ("manager", Role.MANAGER, None, mid),
            ("manager2", Role.MANAGER, None, mid2),
            ("leader", Role.LEADER, None, None),
        ]:
            uid = tx.insert(
                "app_user",
                {
                    "username": name,
                    "display_name": name,
                    "role_id": roles[role.value],
                    "department_id": dep,
                    "manager_id": man,
                    "created_at": now_iso(),
                },
            )
            users[name] = User(uid, name, name, role, dep, man)
    return Street(store, grids, cid, users, cats, deps)


@pytest.fixture
def street(empty_workspace) -> Street:
    return make_street(empty_workspace)


def _draft(street: Street, grid: int = 0, category: str = "0401", **kw) -> ReportDraft:
    lon, lat = street.inside(grid)
    return ReportDraft(
        category=category, lon=lon, lat=lat, description="占道摆摊", **kw
    )


def test_file_report_fills_grid_community_address_and_event(street):
    lon, lat = X0 + 0.0021, Y0 + 0.0021  # next to building 3栋
    res = file_report(
        street.session("manager"),
        ReportDraft(category="0401", lon=lon, lat=lat, description="占道经营"),
    )
    row = street.store.get("report", res.report_id)
    assert row["grid_id"] == street.grids[0]
    assert row["community_id"] == street.community
    assert "花果园路12号" in row["address"]
    assert row["status"] == "reported" and row["deadline"] is None
    assert row["reporter_manager_id"] == street.users["manager"].manager_id
    assert len(res.case_no) == 13 and res.case_no[:8].isdigit()
    events = street.store.query(
        "SELECT action, to_status FROM case_event WHERE report_id = ?", (res.report_id,)
    )
    assert [tuple(e) for e in events] == [("report", "reported")]
    audit = street.store.scalar(
        "SELECT count(*) FROM audit_log WHERE table_name = 'report' AND row_id = ?",
        (res.report_id,),
    )
    assert audit == 1


def test_case_numbers_follow_each_other(street):
    s = street.session("dispatcher")
    nos = [file_report(s, _draft(street, k)).case_no for k in range(3)]
    assert [int(n[8:]) for n in nos] == [1, 2, 3]
    assert len(set(nos)) == 3


def test_gcj02_input_is_converted_to_cgcs2000(street):
    lon, lat = street.inside(1)
    glon, glat = coords.wgs84_to_gcj02(lon, lat)
    assert abs(glon - lon) > 1e-4  # hundreds of metres apart
    res = file_report(
        street.session("dispatcher"),
        ReportDraft(category="0401", lon=glon, lat=glat, crs="gcj02"),
    )
    g = street.store.get("report", res.report_id)["geom"]
    assert abs(g.x - lon) < 1e-5 and abs(g.y - lat) < 1e-5
    assert res.placement.grid_id == street.grids[1]


def test_bd09_and_pasted_text_positions(street):
    lon, lat = street.inside(2)
    blon, blat = coords.wgs84_to_bd09(lon, lat)
    res = file_report(
        street.session("dispatcher"),
        ReportDraft(category="0401", lon=blon, lat=blat, crs="bd09"),
    )
    assert res.placement.grid_id == street.grids[2]
    plon, plat, parsed = position_from_text(f"{lat:.6f}, {lon:.6f}")
    assert parsed.order_guess == "lat_lon"
    assert abs(plon - lon) < 1e-6 and abs(plat - lat) < 1e-6
    res = file_report(
        street.session("dispatcher"),
        ReportDraft(
            category="0401",
            position_text=f"https://uri.amap.com/marker?position={blon},{blat}",
            crs="bd09",
        ),
    )
    assert res.placement.grid_id == street.grids[2]


def test_swapped_coordinates_refused(street):
    lon, lat = street.inside(0)
    with pytest.raises(ValidationError, match="写反"):
        file_report(
            street.session("dispatcher"), ReportDraft(category="0401", lon=lat, lat=lon)
        )
    assert street.store.scalar("SELECT count(*) FROM report") == 0


def test_position_in_the_sea_refused(street):
    # The East China Sea, inside China's coordinate box but in no grid of the street.
    with pytest.raises(ValidationError) as err:
        file_report(
            street.session("dispatcher"),
            ReportDraft(category="0401", lon=124.5, lat=29.5),
        )
    assert err.value.params["reason"] == "outside_street"
    # Far out in the Pacific: outside China altogether.
    with pytest.raises(ValidationError, match="中国"):
        file_report(
            street.session("dispatcher"),
            ReportDraft(category="0401", lon=160.0, lat=20.0),
        )
    assert street.store.scalar("SELECT count(*) FROM report") == 0
    assert street.store.scalar("SELECT count(*) FROM case_event") == 0


def test_unknown_category_refused(street):
    with pytest.raises(ValidationError) as err:
        file_report(street.session("dispatcher"), _draft(street, category="9999"))
    assert err.value.params["reason"] == "unknown_category"
    assert "9999" in str(err.value)


def test_manager_outside_own_grids_refused_with_grid_code(street):
    with pytest.raises(PermissionDenied) as err:
        file_report(street.session("manager"), _draft(street, 3))
    assert err.value.params["grid_code"] == "520102003001004"
    assert street.store.scalar("SELECT count(*) FROM report") == 0
    # the other manager works there
    file_report(street.session("manager2"), _draft(street, 3))


@pytest.mark.parametrize("who", ["leader", "liaison"])
def test_roles_that_may_not_file(street, who):
    with pytest.raises(PermissionDenied):
        file_report(street.session(who), _draft(street))


def test_near_duplicate_warning_and_attach_as_child(street):
    s = street.session("manager")
    first = file_report(s, _draft(street))
    lon, lat = street.inside(0)
    near = ReportDraft(category="0401", lon=lon + 0.0002, lat=lat)  # about 20 m east
    check = check_report(s, near)
    assert [d.report_id for d in check.duplicates] == [first.report_id]
    assert 15 < check.duplicates[0].distance_m < 25
    assert "疑似重复" in check.warnings[0]
    near.parent_id = first.report_id
    child = file_report(s, near)
    assert street.store.get("report", child.report_id)["parent_id"] == first.report_id
    # another category, farther than 50 m, or older than 7 days: no warning
    assert not check_report(
        s, ReportDraft(category="0101", lon=lon, lat=lat)
    ).duplicates
    assert not check_report(
        s, ReportDraft(category="0401", lon=lon + 0.001, lat=lat)
    ).duplicates
    later = datetime.now(UTC) + timedelta(days=8)
    assert not find_near_duplicates(
        street.session("dispatcher"), lon, lat, street.categories["0401"], later
    )


def test_locate_outside_reports_reason(street):
    with pytest.raises(ValidationError):
        locate(street.session("dispatcher"), X0 - 0.01, Y0)
    p = locate(street.session("dispatcher"), *street.inside(3, 0.5, 0.5))
    assert p.grid_code.endswith("004") and p.community_name == "花果园社区"
    assert "农贸市场" in p.address_hint


def test_report_services_import_no_qt():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import gridapp.services.cases.reports, gridapp.services.cases.workflow, gridapp.services.cases.routing\n"
        "import gridapp.services.cases.photos, gridapp.services.cases.report_import\n"
        "import gridapp.services.cases.query, gridapp.services.cases.supervision\n"
        "import gridapp.services.cases.spatial_join, gridapp.cli.cmd_reports\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_search_categories_by_pinyin_code_and_name(empty_workspace):
    from gridapp.services.cases.reports import search_categories

    names = [c["name"] for c in search_categories(system_session(empty_workspace), "zd")]
    assert names[:2] == ["占道经营", "占道广告牌"] or set(names) >= {
        "占道经营",
        "占道广告牌",
    }
    assert {c["class_name"] for c in search_categories(system_session(empty_workspace), "04")} == {
        "街面秩序"
    }
    assert "暴露垃圾" in [c["name"] for c in search_categories(system_session(empty_workspace), "垃圾")]
    assert search_categories(system_session(empty_workspace), "qqqqq") == []
    assert len(search_categories(system_session(empty_workspace))) > 30


def test_attach_to_case_after_filing(street):
    from gridapp.services.cases.reports import attach_to_case

    s = street.session("dispatcher")
    a = file_report(s, _draft(street)).report_id
    b = file_report(s, _draft(street)).report_id
    with pytest.raises(ValidationError):
        attach_to_case(s, a, a)
    with pytest.raises(PermissionDenied):
        attach_to_case(street.session("manager2"), b, a)
    attach_to_case(s, b, a)
    assert street.store.get("report", b)["parent_id"] == a
    last = street.store.query(
        "SELECT action FROM case_event WHERE report_id = ? ORDER BY id DESC", (b,)
    )
    assert last[0][0] == "attach"
