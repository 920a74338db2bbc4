"""Fixtures of the field service tests: a small street with users who have passwords."""

from __future__ import annotations

import copy
import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from gridapp.domain.enums import Role
from gridapp.services.field.settings import field_settings, phone_logins
from gridapp.services.people.auth import load_user, reset_password
from gridapp.services.session import Session
from tests.services.test_reports import make_street

PASSWORD = "Field-pass-2026"


@pytest.fixture(scope="session")
def field_street_file(tmp_path_factory):
    """The four-grid street of the report tests, every user's password PASSWORD; built once.

    Returns (path, the street's ids); tests work on copies (``field_street``).
    """
    from gridapp.services.workspace import StreetSpec, create_workspace

    path = tmp_path_factory.mktemp("field") / "field_street.gpkg"
    store = create_workspace(path, StreetSpec("520102", "520102003", "测试街道"),
                             admin_username="admin", admin_password="Admin-pass-2026")
    try:
        street = make_street(store)
        admin = Session(store, load_user(store, 1))
        for name in street.users:
            reset_password(admin, name, PASSWORD)
    finally:
        store.close()
    street.store = None
    return path, street


@pytest.fixture
def field_street(field_street_file, tmp_path):
    """An open, private copy of the field street (closed after); ``.admin`` is a session."""
    from gridapp.services.workspace import open_workspace

    source, template = field_street_file
    path = tmp_path / "street.gpkg"
    shutil.copy(source, path)
    store = open_workspace(path)
    street = copy.copy(template)
    street.store = store
    street.admin = Session(store, load_user(store, 1))
    yield street
    store.close()


@pytest.fixture
def field_app(field_street):
    from gridapp.web.app import create_app

    settings = field_settings(field_street.admin)
    return create_app(phone_logins(field_street.admin), settings)


@pytest.fixture
def client(field_app):
    from starlette.testclient import TestClient

    with TestClient(field_app, base_url="https://testserver") as c:
        c.get("/")  # the page sets the CSRF cookie, as a phone's first visit does
        yield c


def login(client, username: str, password: str = PASSWORD):
    """Log *client* in; returns the response (its JSON has the CSRF token)."""
    return client.post("/api/login", json={"username": username, "password": password},
                       headers={"X-CSRF-Token": client.cookies.get("gridapp_csrf")})


def jpeg(lon: float | None = None, lat: float | None = None, size=(1200, 900),
         extra_exif: dict | None = None) -> bytes:
    """A JPEG with (optionally) an EXIF GPS position and other tags."""
    im = Image.new("RGB", size, (90, 140, 60))
    exif = Image.Exif()
    if lon is not None and lat is not None:
        def dms(v):
            d = int(v)
            m = int((v - d) * 60)
            return (float(d), float(m), round((v - d - m / 60) * 3600, 3))
        exif.get_ifd(0x8825).update({1: "N", 2: dms(lat), 3: "E", 4: dms(lon)})
    for tag, value in (extra_exif or {}).items():
        exif[tag] = value
    out = io.BytesIO()
    im.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture
def photo_file(tmp_path: Path) -> Path:
    path = tmp_path / "IMG_0001.jpg"
    path.write_bytes(jpeg(106.7025, 26.5725))
    return path


ROLES = {"manager": Role.MANAGER, "leader": Role.LEADER, "dispatcher": Role.DISPATCHER}
