"""The district server fixtures of tests/pg (a throw-away PostgreSQL + PostGIS on loopback)."""

from tests.pg.conftest import (  # noqa: F401 - fixtures, found by name
    pg_demo_template,
    pg_demo_url,
    pg_server,
)
