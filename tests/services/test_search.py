"""Full-text search in report texts (issue 22): Chinese words of any length, AND of
words, edits followed, bulk loads found before and after indexing, record scope,
the schema guard's view of the index's triggers, and the CLI."""

from __future__ import annotations

import io
import json
import sqlite3
import sys

import pytest

from gridapp.cli import main
from gridapp.errors import GridAppError, ValidationError
from gridapp.services.cases.drafts import ReportDraft
from gridapp.services.cases.report_import import (
    commit_report_import,
    prepare_report_import,
)
from gridapp.services.cases.reports import file_report
from gridapp.services.cases.search import index_pending_reports, search_reports
from tests.services.test_reports import make_street

TEXTS = [  # (grid, description, address)
    (0, "路边垃圾桶满溢，气味很大", "青云路12号"),
    (1, "摊贩占道经营", "翠微巷3号"),
    (2, "垃圾堆放在楼道", "南湖路88号"),
    (3, "井盖破损 ABC-12", "青云路99号"),
    (0, "电动车在楼道内充电", "花果园小区5栋"),
]


@pytest.fixture
def street(empty_workspace):
    street = make_street(empty_workspace)
    office = street.session("office")
    street.ids = []
    for grid, text, addr in TEXTS:
        lon, lat = street.inside(grid)
        street.ids.append(file_report(office, ReportDraft(
            category="占道经营", lon=lon, lat=lat, description=text, address=addr)).report_id)
    return street


def _found(street, words, who="office"):
    return [h.id for h in search_reports(street.session(who), words).hits]


def test_words_of_one_two_and_more_characters(street):
    ids = street.ids
    assert _found(street, "垃圾桶") == [ids[0]]
    assert _found(street, "垃圾") == [ids[2], ids[0]]  # newest first
    assert _found(street, "圾") == [ids[2], ids[0]]
    assert _found(street, "楼道") == [ids[4], ids[2]]
    assert _found(street, "青云路") == [ids[3], ids[0]]  # addresses are searched too
    assert _found(street, "垃圾 青云路") == [ids[0]]  # every word must appear
    assert _found(street, "abc-12") == [ids[3]]  # case is ignored
    assert _found(street, "桶") == [ids[0]] and _found(street, "电") == [ids[4]]
    assert _found(street, "消防通道") == [] and _found(street, "鸟") == []


def test_edits_are_followed(street):
    office = street.session("office")
    with office.transaction() as tx:
        tx.update("report", street.ids[1], {"description": "流动摊贩夜间经营"})
    assert _found(street, "占道") == []
    assert _found(street, "夜间") == [street.ids[1]]


def test_limit_and_more(street):
    res = search_reports(street.session("office"), "路", limit=2)
    assert [h.id for h in res.hits] == [street.ids[3], street.ids[2]] and res.more
    assert res.hits[0].address == "青云路99号" and res.hits[0].category == "占道经营"


def test_bulk_loaded_reports_are_found_before_and_after_indexing(street, tmp_path):
    office = street.session("office")
    lines = ["经度,纬度,事件类型,问题描述,地址"]
    for k in range(30):
        lon, lat = street.inside(k % 4, 0.2 + k * 0.02, 0.3)
        lines.append(f"{lon:.6f},{lat:.6f},占道经营,第{k}号井盖缺失,导入路{k}号")
    path = tmp_path / "r.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = commit_report_import(office, prepare_report_import(office, path))
    before = search_reports(office, "井盖缺失", limit=100)
    assert before.pending == 30  # the bulk write left its rows for later
    assert [h.id for h in before.hits] == sorted(res.report_ids, reverse=True)
    assert _found(street, "井盖") == sorted(res.report_ids, reverse=True) + [street.ids[3]]
    assert index_pending_reports(office) == 30
    after = search_reports(office, "井盖缺失", limit=100)
    assert after.pending == 0 and [h.id for h in after.hits] == [h.id for h in before.hits]
    # once indexed, edits of those rows are followed by the triggers
    with office.transaction() as tx:
        tx.update("report", res.report_ids[0], {"description": "井盖已补"})
    assert res.report_ids[0] not in _found(street, "缺失")
    assert _found(street, "已补") == [res.report_ids[0]]


def test_record_scope_as_in_the_case_list(street):
    # make_street's manager holds grids 0 and 1, manager2 grid 3; office filed them all.
    assert _found(street, "路", "manager") == [street.ids[0]]
    assert _found(street, "青云路", "manager2") == [street.ids[3]]
    assert _found(street, "青云路", "leader") == [street.ids[3], street.ids[0]]
    assert _found(street, "垃圾", "liaison") == []  # nothing dispatched to the department


@pytest.mark.parametrize("text", ["", "   ", " ".join(f"w{i}" for i in range(9)), "长" * 65])
def test_bad_queries_are_refused_with_a_reason(street, text):
    with pytest.raises(ValidationError) as err:
        search_reports(street.session("office"), text)
    assert err.value.message_in("zh") and err.value.message_in("en")


def test_a_changed_index_trigger_is_foreign_to_the_schema_guard(street):
    path = street.store.path
    street.store.close()
    raw = sqlite3.connect(path)
    sql = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'report_fts_insert'"
                      ).fetchone()[0]
    raw.execute("DROP TRIGGER report_fts_insert")
    raw.execute(sql.replace("NEW.id, ", "NEW.id + 0, "))
    raw.commit()
    raw.close()
    from gridapp.services.workspace import open_workspace

    store = open_workspace(path)
    try:
        with pytest.raises(GridAppError, match="report_fts_insert"):
            with store.transaction("t"):
                pass
    finally:
        store.close()


def test_cli_search(street, monkeypatch, capsys):
    path = street.store.path
    street.store.close()
    monkeypatch.setattr(sys, "stdin", io.StringIO("Admin-pass-2026\n"))
    code = main(["reports", "search", str(path), "垃圾", "--json", "--as", "admin",
                 "--password-stdin"])
    out = capsys.readouterr().out
    assert code == 0, out
    data = json.loads(out)
    assert [h["description"] for h in data["hits"]] == ["垃圾堆放在楼道", "路边垃圾桶满溢，气味很大"]
    assert data["not_indexed"] == 0 and data["more"] is False


QUERIES = ["路", "垃圾", "圾", "楼道", "青云路", "垃圾 青云路", "路 号", "道 号", "桶", "电",
           "鸟", "路 鸟", "abc-12", "井盖 路", "bC", "c- 井", "a 青云路", "%", "_ 路"]


def _expected(words: list[str]) -> list[int]:
    """Report ids (newest first) holding every word, read off TEXTS (ids 1..5 in order)."""
    hits = [i + 1 for i, (_g, text, addr) in enumerate(TEXTS)
            if all(w.lower() in f"{text}  {addr}".lower() for w in words)]
    return sorted(hits, reverse=True)


@pytest.mark.parametrize("sparse_rows", [0, 1, 1_000])
@pytest.mark.parametrize("newest_rows", [0, 1, 2, 5_000])
def test_the_newest_rows_first_give_the_same_answers(street, monkeypatch, newest_rows,
                                                      sparse_rows):
    # Short words are looked for in the newest NEWEST_ROWS reports first, then
    # through the index below them: the answers do not depend on where the cut is,
    # nor on how many matches the index is read oldest first for (SPARSE_ROWS).
    from gridapp.storage.queries import search as q
    from gridapp.storage.queries.case_list import CaseScope

    assert street.ids == [1, 2, 3, 4, 5]
    monkeypatch.setattr(q, "NEWEST_ROWS", newest_rows)
    monkeypatch.setattr(q, "SPARSE_ROWS", sparse_rows)
    conn = sqlite3.connect(street.session("office").store.path)
    try:
        for text in QUERIES:
            words = text.split()
            for limit in (1, 2, 10):
                got = q.find_reports(conn, words, CaseScope(None, None, None), limit)
                assert got == _expected(words)[:limit], (text, limit)
    finally:
        conn.close()


def test_a_common_short_word_does_not_list_its_trigrams(street, monkeypatch):
    # Listing a word's trigrams (fts5vocab) counts every posting of each: the page of
    # a word found in the newest reports is read from them alone.
    from gridapp.storage.queries import search as q
    from gridapp.storage.queries.case_list import CaseScope

    monkeypatch.setattr(q, "NEWEST_ROWS", 3)
    conn = sqlite3.connect(street.session("office").store.path)
    seen: list[str] = []
    # statements GridApp runs (FTS5's own, traced with a leading "--", left out)
    conn.set_trace_callback(lambda sql: None if sql.startswith("--") else seen.append(sql))
    try:
        assert q.find_reports(conn, ["路"], CaseScope(None, None, None), 2) == _expected(["路"])[:2]
        assert not [s for s in seen if "SELECT term FROM report_fts_terms" in s or "MATCH" in s]
        seen.clear()
        # one word in no report: one look-up per short word, no listing, no scan
        assert q.find_reports(conn, ["路", "鸟"], CaseScope(None, None, None), 2) == []
        assert not [s for s in seen if "instr(" in s or "LIKE" in s or "MATCH" in s]
    finally:
        conn.close()


def test_listed_trigrams_are_kept_until_the_index_changes(street, monkeypatch):
    # A short word's trigrams are listed once per state of the index (fts5vocab
    # counts every posting of each); a write to the index lists them again, so a
    # report bringing new trigrams ("楼顶电", "电线裸") is found at once.
    from gridapp.storage.queries import search as q
    from gridapp.storage.queries.case_list import CaseScope

    monkeypatch.setattr(q, "NEWEST_ROWS", 0)  # every short word through the index
    store = street.session("office").store
    listed: list[str] = []
    real = q._list_terms
    monkeypatch.setattr(q, "_list_terms", lambda db, w: listed.append(w) or real(db, w))
    everywhere = CaseScope(None, None, None)
    assert q.find_reports(store, ["楼", "电"], everywhere, 10) == [street.ids[4]]
    assert sorted(listed) == ["楼", "电"]
    assert q.find_reports(store, ["电", "楼"], everywhere, 10) == [street.ids[4]]
    assert q.find_reports(store, ["电"], everywhere, 10) == [street.ids[4]]
    assert sorted(listed) == ["楼", "电"]  # the index did not change: nothing listed again
    lon, lat = street.inside(1)
    new = file_report(street.session("office"), ReportDraft(
        category="占道经营", lon=lon, lat=lat, description="楼顶电线裸露", address="翠微巷")
    ).report_id
    assert q.find_reports(store, ["楼", "电"], everywhere, 10) == [new, street.ids[4]]
    assert sorted(listed) == ["楼", "楼", "电", "电"]
    # a connection of its own (it may be writing the index) is never remembered
    conn = sqlite3.connect(store.path)
    try:
        for _ in range(2):
            assert q.find_reports(conn, ["楼", "电"], everywhere, 10) == [new, street.ids[4]]
    finally:
        conn.close()
    assert len(listed) == 8


def test_few_matches_in_the_newest_rows_read_the_index_oldest_first(street, monkeypatch):
    # No match in the newest report: the index is read oldest first (FTS5 walks
    # doclists forwards faster) for up to SPARSE_ROWS matches; more than that,
    # and it is read newest first as before.
    from gridapp.storage.queries import search as q
    from gridapp.storage.queries.case_list import CaseScope

    monkeypatch.setattr(q, "NEWEST_ROWS", 1)
    conn = sqlite3.connect(street.session("office").store.path)
    seen: list[str] = []
    conn.set_trace_callback(lambda sql: None if sql.startswith("--") else seen.append(sql))
    order = lambda: [s.split("ORDER BY f.rowid ")[1][:4].strip() for s in seen  # noqa: E731
                     if "MATCH" in s]
    try:
        for sparse_rows, reads in ((1_000, ["ASC"]), (1, ["ASC", "DESC"])):
            monkeypatch.setattr(q, "SPARSE_ROWS", sparse_rows)
            seen.clear()
            got = q.find_reports(conn, ["垃", "路"], CaseScope(None, None, None), 1)
            assert got == [street.ids[2]] and order() == reads, sparse_rows
            # whether each short word is indexed at all is asked once per search
            assert len([s for s in seen if s.startswith("SELECT 1 FROM report_fts_terms")]) == 2
    finally:
        conn.close()
