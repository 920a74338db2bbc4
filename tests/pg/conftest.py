"""A real PostgreSQL 15 + PostGIS 3 server for the PostGIS tests (issue 16).

One throw-away cluster per test run on a loopback port (initdb + pg_ctl in a
folder of its own, see :mod:`gridapp.storage.postgis.server`), stopped at the
end.  Without the server programs the tests are skipped with the reason —
unless ``GRIDAPP_REQUIRE_PG=1`` (``bash setup.sh test`` sets it, so CI), when
a missing server is an error.

Workspaces: the empty workspace and the demo street are each published once
into a template database; every test gets a private database copied from the
template (``CREATE DATABASE … TEMPLATE``: a file copy, ~0.1 s), so tests may
write.  ``empty_workspace`` and ``demo_workspace`` are overridden here with
the server stores, which is how the shared services suites run unchanged on
both backends (tests/pg/test_suites_*.py import them).
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest

_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server():
    from gridapp.storage.postgis import server

    why = server.missing()
    if why:
        if os.environ.get("GRIDAPP_REQUIRE_PG") == "1":
            pytest.fail(f"GRIDAPP_REQUIRE_PG=1 but no PostgreSQL server can run here: {why}")
        pytest.skip(why)
    srv = server.TempServer().start()
    yield srv
    srv.stop()


def _publish_template(srv, name: str, gpkg: Path) -> tuple[str, str]:
    from gridapp.storage import open_store
    from gridapp.storage.postgis import sync

    url = srv.create_database(name)
    with open_store(gpkg, readonly=True) as src:
        code = str(src.query("SELECT code FROM street ORDER BY id LIMIT 1")[0][0])
        sync.publish(src, url, code)
    return name, code


def _copy(srv, template: tuple[str, str]) -> str:
    """A private database cloned from *template*; its street URL."""
    import psycopg

    name = f"t{next(_counter)}_{os.getpid()}"
    with psycopg.connect(srv.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template[0]}"')
    return srv.url(name) + f"?street={template[1]}"


def _drop(srv, url: str) -> None:
    """Drop a test's database (keeps the cluster small; ~0.1 s)."""
    import psycopg

    name = url.split("/")[-1].split("?")[0]
    with psycopg.connect(srv.url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_empty_template(pg_server, tmp_path_factory):
    from gridapp.services.workspace import StreetSpec, create_workspace

    path = tmp_path_factory.mktemp("pg_empty") / "empty.gpkg"
    create_workspace(path, StreetSpec("520102", "520102003", "测试街道"),
                     admin_username="admin", admin_password="Admin-pass-2026").close()
    return _publish_template(pg_server, "tpl_empty", path)


@pytest.fixture(scope="session")
def pg_demo_template(pg_server, demo_file):
    return _publish_template(pg_server, "tpl_demo", demo_file)


@pytest.fixture
def pg_demo_url(pg_server, pg_demo_template) -> str:
    url = _copy(pg_server, pg_demo_template)
    yield url
    _drop(pg_server, url)


@pytest.fixture
def empty_workspace(pg_server, pg_empty_template):
    from gridapp.storage import open_store

    url = _copy(pg_server, pg_empty_template)
    store = open_store(url)
    yield store
    store.close()
    _drop(pg_server, url)


@pytest.fixture
def demo_workspace(pg_demo_url):
    from gridapp.storage import open_store

    store = open_store(pg_demo_url)
    yield store
    store.close()


@pytest.fixture(params=["gpkg", "postgis"])
def any_demo(request, demo_file, tmp_path):
    """The demo street on each backend in turn (a private, writable copy)."""
    from gridapp.storage import open_store

    if request.param == "gpkg":
        path = tmp_path / "demo_copy.gpkg"
        shutil.copy(demo_file, path)
        store = open_store(path)
    else:
        store = open_store(request.getfixturevalue("pg_demo_url"))
    yield store
    store.close()
