"""The map legend dock and the case list's chip for the map's 90-day window (issue 21)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gridapp.services.cases.lookups import category_tree


def cases_of(window):  # type: ignore[no-untyped-def]
    return next(f for f in window.features if hasattr(f, "case_list"))


def legend_of(window):  # type: ignore[no-untyped-def]
    return window.docks["legend"].widget()


def test_legend_lists_the_category_colours_with_counts(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    legend = legend_of(window)
    cases = cases_of(window)
    assert cases.set_report_style("category")
    layer = window.canvas.workspace.data["report"].layer
    shown = legend.entries("report")
    assert shown, "the report layer coloured by category has a legend"
    # each sub-category drawn is listed once, named as '<class> · <category>',
    # with as many reports as the layer holds of it, most first
    rows = category_tree(window.session)
    by_id = {int(r["id"]): r for r in rows}
    expected: dict[str, int] = {}
    for cid, n in layer.attributes["category_id"].value_counts().items():
        r = by_id[int(cid)]
        top = by_id[int(r["parent_id"])] if r["parent_id"] is not None else r
        label = r["name"] if top is r else f"{top['name']} · {r['name']}"
        expected[label] = int(n)
    assert {label: n for label, _fill, n in shown} == expected
    counts = [n for _l, _f, n in shown]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == len(layer)
    # one colour per top-level class: two categories of one class share it
    fills: dict[str, set[str]] = {}
    for label, fill, _n in shown:
        fills.setdefault(label.split(" · ")[0], set()).add(fill)
    assert all(len(f) == 1 for f in fills.values())
    assert len({next(iter(f)) for f in fills.values()}) == len(fills)
    # by status: the legend follows; a hidden layer leaves it
    assert cases.set_report_style("status")
    assert {label for label, _f, _n in legend.entries("report")} <= {
        s.label for s in __import__("gridapp.domain.enums", fromlist=["CaseStatus"]).CaseStatus}
    window.layer_model.set_visible("report", False)
    assert legend.entries("report") == []
    assert window.docks["legend"].windowTitle() == "图例"


def test_legend_is_empty_without_a_workspace(window) -> None:  # type: ignore[no-untyped-def]
    legend = legend_of(window)
    window.close_workspace()
    assert legend.entries("report") == []
    assert legend.tree.topLevelItemCount() == 0
    assert not legend.empty.isHidden()


def test_case_list_shows_the_maps_90_day_window_and_removing_it_draws_all(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from gridapp.domain.timeutil import LOCAL_TZ
    from gridapp.services.cases.query import CaseFilter, CaseQuery

    cases = cases_of(window)
    cases.list_dock.raise_()  # built when first on screen
    qtbot.waitUntil(lambda: cases.case_list is not None)
    cl = cases.case_list
    chip = cl.window_chip
    assert chip.isVisible()
    since = window.canvas.workspace.report_since.astimezone(LOCAL_TZ).date()
    assert cl.window_chip_label.text() == f"地图：近 90 天的上报（{since.isoformat()} 起）"
    before = len(window.canvas.workspace.data["report"].layer)
    every = CaseQuery(window.session, CaseFilter()).count()
    assert before < every  # the demo's reports span more than 90 days
    qtbot.mouseClick(cl.window_chip_close, Qt.MouseButton.LeftButton)
    assert not chip.isVisible()
    qtbot.waitUntil(lambda: not cases.is_busy(), timeout=30_000)
    assert len(window.canvas.workspace.data["report"].layer) == every
    # a language switch rebuilds the list: the chip stays removed
    cases.retranslate()
    assert not cases.case_list.window_chip.isVisible()
