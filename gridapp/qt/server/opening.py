"""Opening a street of the district server in the main window.

The window's own :meth:`~gridapp.qt.window_workspace.WorkspaceState.open_workspace`
takes a ``postgresql://…?street=CODE`` address as it takes a file (open on a
worker while the window paints, log in to GridApp, load the layers; the
address is not added to the recent files).  Remembered connections are the
connection dialog's own list.
"""

from __future__ import annotations

from typing import Any


def open_server(window: Any, url: str, title: str) -> bool:
    """Open the street at *url* in *window* (*title* stands for it in the window title).

    Returns whether it opened and the login succeeded; a failure leaves the
    window usable with the message shown, as for a file.
    """
    return bool(window.open_workspace(url, title=title))
