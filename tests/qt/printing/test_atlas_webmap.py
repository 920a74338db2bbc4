"""Atlas and web map dialogs, and who gets the printing actions."""

from __future__ import annotations

import pytest

from tests.qt.printing.conftest import feature_of, needs_poppler, pdfinfo


@pytest.fixture
def atlas(qtbot, office_window):
    office_window.actions.trigger("gridapp.print.atlas")
    dialog = feature_of(office_window).dialogs["atlas"]
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.close()


def grids_of(store, community_code: str) -> int:  # type: ignore[no-untyped-def]
    rows = store.query(
        "SELECT count(*) AS n FROM grid g JOIN community c ON c.id = g.community_id "
        "WHERE g.valid_to IS NULL AND c.code = ?", [community_code])
    return int(rows[0]["n"])


@needs_poppler
def test_atlas_writes_one_page_per_grid(qtbot, atlas, tmp_path):
    d = atlas
    code = d.place.itemData(0)
    d.place.setCurrentIndex(0)
    d.output.setText(str(tmp_path / "atlas"))
    steps = []
    d.footer.job.progressed.connect(lambda done, total: steps.append((done, total)))
    with qtbot.waitSignal(d.finished_job, timeout=180_000) as blocker:
        assert d.start()
    result = blocker.args[0]
    assert result is not None, d.footer.last_error
    n = grids_of(d.session.store, code)
    assert n > 1 and result.pages == n
    out = tmp_path / "atlas.pdf"
    assert int(pdfinfo(out)["Pages"]) == n
    assert steps[-1] == (n, n)
    assert str(out) in d.footer.status.text()


def test_atlas_cancel_removes_the_partial_file(qtbot, atlas, tmp_path):
    d = atlas
    d.place.setCurrentIndex(d.place.count() - 1)  # the whole street: many pages
    assert d.place.currentData() is None
    out = tmp_path / "street_atlas.pdf"
    d.output.setText(str(out))
    d.footer.job.progressed.connect(lambda done, total: done >= 1 and d.footer.job.cancel_button.click())
    with qtbot.waitSignal(d.finished_job, timeout=180_000) as blocker:
        assert d.start()
    assert blocker.args[0] is None
    assert d.footer.last_error == ""  # cancelled, not failed
    assert not out.exists()
    assert d.footer.button.isEnabled()
    assert d.footer.status.text()


def test_webmap_exports_offline_html_and_opens_it(qtbot, office_window, tmp_path):
    from gridapp.services.maps_out.webmap_assets import remote_references

    feature = feature_of(office_window)
    opened = []
    feature.webmap_opener = opened.append
    office_window.actions.trigger("gridapp.export.webmap")
    d = feature.dialogs["webmap"]
    qtbot.waitExposed(d)
    d.days.setValue(60)
    d.community.setCurrentIndex(1)
    d.heat.setChecked(False)
    out = tmp_path / "map.html"
    d.output.setText(str(out))
    with qtbot.waitSignal(d.finished_job, timeout=180_000) as blocker:
        assert d.start()
    result = blocker.args[0]
    assert result is not None, d.footer.last_error
    assert opened == [out] and out.exists()
    html = out.read_text(encoding="utf-8")
    assert remote_references(html) == []  # nothing a browser would load from the net
    assert "HeatLayer" not in html
    assert result.grids > 0
    d.close()


def test_web_view_fallback_opens_the_system_browser(monkeypatch, tmp_path, qapp):
    from PySide6.QtGui import QDesktopServices

    from gridapp.qt.printing import web_view

    urls = []
    monkeypatch.setattr(web_view, "web_engine_available", lambda: False)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    page = tmp_path / "m.html"
    page.write_text("<html></html>", encoding="utf-8")
    assert web_view.open_webmap(page) is None
    assert urls and urls[0].toLocalFile() == str(page.resolve())


@pytest.mark.parametrize(("user", "allowed"), [("wgb", True), ("lingdao", True),
                                               ("wgy01", False)])
def test_print_actions_follow_the_permission_table(window_as, user, allowed):
    from gridapp.domain.enums import Role
    from gridapp.domain.permissions import allowed as role_allowed

    window = window_as(user)
    role = window.session.user.role
    assert role_allowed(role, "print.maps") is allowed
    expect = {Role.OFFICE: True, Role.LEADER: True, Role.MANAGER: False}[role]
    assert expect is allowed
    for action_id in ("gridapp.print.poster", "gridapp.print.atlas"):
        action = window.actions[action_id]
        assert action.isVisible() is allowed
        assert action.isEnabled() is allowed
    feature = feature_of(window)
    if not allowed:
        assert feature.open_preview() is None and not feature.dialogs
    assert window.actions["gridapp.export.webmap"].isVisible() is role_allowed(role,
                                                                                "export.data")


def test_leader_prints_a_poster(qtbot, window_as, tmp_path):
    window = window_as("lingdao")
    window.actions.trigger("gridapp.print.poster")
    d = feature_of(window).dialogs["preview"]
    d.dpi.setValue(40)
    d.set_choice(d.paper, "A4")
    d.set_choice(d.format, "png")
    with qtbot.waitSignal(d.exported, timeout=60_000) as blocker:
        assert d.export_to(tmp_path / "leader.png")
    assert blocker.args[0] is not None
    assert (tmp_path / "leader.png").exists()
    d.close()


def test_closing_the_window_stops_a_running_preview(qtbot, office_window):
    office_window.actions.trigger("gridapp.print.poster")
    d = feature_of(office_window).dialogs["preview"]
    d.render_now()
    assert d.rendering
    # the window fixture closes the window and asserts no thread or timer is left



def test_the_services_refuse_a_dialog_whose_user_may_not(qtbot, office_window, tmp_path):
    """Hiding the actions is not the check: the services refuse a grid manager."""
    from gridapp.qt.printing.atlas_dialog import AtlasDialog
    from gridapp.qt.printing.webmap_dialog import WebMapDialog
    from gridapp.services.people.auth import login

    manager = login(office_window.session.store, "wgy01", "Manager-demo-2026")
    for make, name in ((lambda: WebMapDialog(manager, opener=lambda p: None), "map.html"),
                       (lambda: AtlasDialog(manager), "atlas.pdf")):
        d = make()
        qtbot.addWidget(d)
        d.output.setText(str(tmp_path / name))
        with qtbot.waitSignal(d.finished_job, timeout=60_000) as blocker:
            assert d.start()
        assert blocker.args[0] is None
        assert "export.data" in d.footer.last_error or "print.maps" in d.footer.last_error
        assert not (tmp_path / name).exists()
        d.close()
