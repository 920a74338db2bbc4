"""What `python main.py ARG` opens: the window for a workspace file or a district
server's street, a headless command otherwise."""

from __future__ import annotations

import pytest

from gridapp.launcher import _is_gui_call


@pytest.mark.parametrize(("argv", "window"), [
    ([], True),
    (["data/demo_street.gpkg"], True),
    (["postgresql://ga_user@10.0.0.5:5432/district?street=520102003"], True),
    (["--lang", "en", "postgres://10.0.0.5/district?street=520102003"], True),
    (["info", "data/demo_street.gpkg"], False),
    (["--json", "check", "postgresql://10.0.0.5/district?street=520102003"], False),
    (["--help"], False),
])
def test_the_window_opens_for_a_file_or_a_server_street(argv, window) -> None:  # type: ignore[no-untyped-def]
    assert _is_gui_call(argv) is window


def test_a_server_street_is_titled_without_its_password() -> None:
    pytest.importorskip("PySide6")
    from gridapp.qt.window_workspace import is_server_address, server_title

    url = "postgresql://ga_zhang:S3cret-pw@10.0.0.5:5432/district?street=520102003"
    assert is_server_address(url) and not is_server_address("postgresql.gpkg")
    assert server_title(url) == "520102003 @ 10.0.0.5"
    assert "S3cret" not in server_title(url)
    assert server_title("postgresql://@/?service=district&street=520102004") == "520102004 @ district"
