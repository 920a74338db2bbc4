"""Server addresses as users write them (issue 16): the street is taken out of the
address libpq sees, and an address without a host keeps its '//'."""

from __future__ import annotations

import pytest

from gridapp.storage.postgis.store import split_url


@pytest.mark.parametrize(("url", "conninfo", "street", "shown"), [
    ("postgresql://ga:pw@10.0.0.5:5432/district?street=520102003",
     "postgresql://ga:pw@10.0.0.5:5432/district", "520102003",
     "postgresql://ga@10.0.0.5:5432/district?street=520102003"),
    ("postgresql:///?service=district&street=520102004",
     "postgresql:///?service=district", "520102004", "postgresql:///?street=520102004"),
    ("postgresql:///district?street=520102004", "postgresql:///district", "520102004",
     "postgresql:///district?street=520102004"),
    ("postgresql://@/?service=district&street=520102004",
     "postgresql://@/?service=district", "520102004", "postgresql:///?street=520102004"),
])
def test_street_is_split_off_and_the_address_stays_valid(url, conninfo, street, shown) -> None:  # type: ignore[no-untyped-def]
    psycopg = pytest.importorskip("psycopg")
    got = split_url(url)
    assert got == (conninfo, street, shown)
    psycopg.conninfo.conninfo_to_dict(got[0])  # libpq parses it (raises if not)
