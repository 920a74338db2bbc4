"""The 设置 menu: each role sees the editors it may use; they open and close with
the workspace."""

from __future__ import annotations

import importlib

import pytest

from tests.qt.editors.conftest import PASSWORDS


@pytest.fixture(autouse=True)
def only_editors_feature(monkeypatch):
    """The window gets this feature alone (others are tested by their own suites)."""
    import gridapp.qt.features as features

    monkeypatch.setattr(features, "install_all", lambda window: [
        importlib.import_module("gridapp.qt.features.editors").install(window)])


def _feature(window):
    from gridapp.qt.features.editors import EditorsFeature

    return next(f for f in window.features if isinstance(f, EditorsFeature))


def test_office_opens_the_category_editor_from_the_settings_menu(make_window, demo_copy):
    from gridapp.qt.editors.category_editor import CategoryEditor

    window = make_window(demo_copy, login=("wgb", PASSWORDS["wgb"]))
    menu = _feature(window).menu
    assert menu.title() == "设置(&S)"
    shown = {a.objectName() for a in menu.actions() if a.isVisible()}
    assert {"gridapp.editors.categories", "gridapp.editors.departments",
            "gridapp.editors.cluster_params", "gridapp.editors.reactivate_manager"} <= shown
    assert "gridapp.editors.task_place" not in shown  # the office does not run tasks
    window.actions["gridapp.editors.categories"].trigger()
    editor = _feature(window).open_editors["gridapp.editors.categories"]
    assert isinstance(editor, CategoryEditor) and editor.isVisible()
    assert editor.windowTitle() == "事件与部件分类" and editor.save_button.text() == "保存"
    window.close_workspace()
    assert not editor.isVisible() and not _feature(window).open_editors


def test_dispatcher_sees_only_the_task_editor(make_window, demo_copy):
    window = make_window(demo_copy, login=("zhihui", PASSWORDS["zhihui"]))
    shown = {a.objectName() for a in _feature(window).menu.actions() if a.isVisible()}
    assert shown == {"gridapp.editors.task_place"}
