"""Report text search on a street of a district server (issue 16).

The GeoPackage's search suite (words of any length, edits followed, limits,
record scope, refused queries) runs here unchanged on the server
(``empty_workspace`` is a server street in this folder); the demo street
answers the same on both backends, and as a plain scan of its texts says; a
bulk import is found at once; a street published before the trigram index
existed still answers, and ``reports index`` builds the index.
"""

from __future__ import annotations

import shutil

import psycopg
import pytest

from gridapp.services.cases.report_import import (
    commit_report_import,
    prepare_report_import,
)
from gridapp.services.cases.search import index_pending_reports, search_reports
from gridapp.services.people.auth import login
from gridapp.services.session import system_session
from gridapp.storage import open_store
from gridapp.storage.postgis import search as server_search
from tests.services.test_search import (  # noqa: F401 - the suite, run on the server
    street,
    test_bad_queries_are_refused_with_a_reason,
    test_edits_are_followed,
    test_limit_and_more,
    test_record_scope_as_in_the_case_list,
    test_words_of_one_two_and_more_characters,
)

# One and two characters (read row by row), three and more (through the index),
# letters in the other case, two words at once, a LIKE wildcard taken literally.
WORDS = ["垃圾", "路", "占道经营", "青云路", "井盖", "扰民 夜间", "号 垃圾", "ABC", "%", "_"]


def test_bulk_imported_reports_are_found_at_once(street, tmp_path):  # noqa: F811
    office = street.session("office")
    lines = ["经度,纬度,事件类型,问题描述,地址"]
    for k in range(30):
        lon, lat = street.inside(k % 4, 0.2 + k * 0.02, 0.3)
        lines.append(f"{lon:.6f},{lat:.6f},占道经营,第{k}号窨井冒水,导入路{k}号")
    path = tmp_path / "r.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = commit_report_import(office, prepare_report_import(office, path))
    found = search_reports(office, "窨井冒水", limit=100)
    assert found.pending == 0  # the server's index follows bulk writes too
    assert [h.id for h in found.hits] == sorted(res.report_ids, reverse=True)


def _scan(store, words: list[str], limit: int) -> list[str]:
    """The newest case numbers whose description or address holds every word (case
    ignored), read and compared in Python: what a search of everything must answer."""
    rows = store.query("SELECT id, case_no, description, address FROM report ORDER BY id DESC")
    out = []
    for _id, case_no, desc, addr in rows:
        text = f"{desc or ''}  {addr or ''}".lower()
        if all(w.lower() in text for w in words):
            out.append(case_no)
    return out[:limit]


def test_the_demo_street_answers_as_its_geopackage(demo_file, pg_demo_url, tmp_path):
    copy = tmp_path / "demo.gpkg"
    shutil.copy(demo_file, copy)
    with open_store(copy) as gpkg, open_store(pg_demo_url) as server:
        found_any = 0
        for text in WORDS:
            on = {}
            for name, store in (("gpkg", gpkg), ("server", server)):
                hits = search_reports(system_session(store), text, limit=200).hits
                on[name] = [h.case_no for h in hits]
            assert on["server"] == on["gpkg"] == _scan(server, text.split(), 200), text
            found_any += bool(on["server"])
        assert found_any >= 5  # most words are found somewhere in the demo
        # A grid manager's scope: their grids' reports and their own, on both.
        mine = {}
        for name, store in (("gpkg", gpkg), ("server", server)):
            session = login(store, "wgy01", "Manager-demo-2026")
            mine[name] = [h.case_no for h in search_reports(session, "路", limit=500).hits]
        everyone = search_reports(system_session(server), "路", limit=500).hits
        assert mine["server"] == mine["gpkg"] and 0 < len(mine["server"]) < len(everyone)


def test_a_street_without_its_index_answers_and_reports_index_builds_it(pg_demo_url):
    with open_store(pg_demo_url) as store:
        session = system_session(store)
        before = {w: [h.id for h in search_reports(session, w).hits] for w in WORDS[:4]}
        assert server_search.has_text_index(store)
        with psycopg.connect(pg_demo_url.split("?")[0], autocommit=True) as raw:
            raw.execute(f'DROP INDEX "{store.schema}".{server_search.TEXT_INDEX}')
        assert not server_search.has_text_index(store)
        reports = store.scalar("SELECT count(*) FROM report")
        result = search_reports(session, "垃圾")
        assert result.pending == reports  # the CLI suggests `reports index`
        assert {w: [h.id for h in search_reports(session, w).hits] for w in WORDS[:4]} == before

        assert index_pending_reports(session) == reports
        assert server_search.has_text_index(store)
        assert search_reports(session, "垃圾").pending == 0
        assert index_pending_reports(session) == 0  # nothing left to do
        assert {w: [h.id for h in search_reports(session, w).hits] for w in WORDS[:4]} == before


@pytest.mark.parametrize("word", ["占道经营", "青云路"])
def test_long_words_are_looked_up_through_the_index(pg_demo_url, word):
    with open_store(pg_demo_url) as store, psycopg.connect(
            pg_demo_url.split("?")[0], autocommit=True) as raw:
        raw.execute(f'SET search_path = "{store.schema}", public')
        raw.execute("ANALYZE report")
        raw.execute("SET enable_seqscan = off")
        plan = "\n".join(r[0] for r in raw.execute(
            "EXPLAIN SELECT r.id FROM report r WHERE (coalesce(r.description, '') || '  ' ||"
            " coalesce(r.address, '')) ILIKE %s", (f"%{word}%",)))
        assert server_search.TEXT_INDEX in plan
