"""The map canvas renders on a worker (issue 21): what the GUI thread still does.

The other window tests run with ``GRIDAPP_RENDER_SYNC=1`` (tests/qt/conftest.py);
these turn the worker render on for their canvas, as the application runs.
"""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import QTimer


def _async(window):  # type: ignore[no-untyped-def]
    canvas = window.canvas
    canvas.render_sync = False
    canvas.cache.invalidate()
    return canvas


def _pixels(image) -> np.ndarray:  # type: ignore[no-untyped-def]
    image = image.convertToFormat(image.Format.Format_ARGB32)
    ptr = image.constBits()
    return np.frombuffer(ptr, np.uint8).reshape(image.height(), image.bytesPerLine()).copy()


def test_a_paint_asks_the_worker_and_shows_its_image(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    canvas = _async(window)
    threads: list[str] = []
    import gridapp.render.renderer as renderer

    original = renderer._draw

    def spy(*args, **kw):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return original(*args, **kw)

    renderer._draw = spy
    try:
        canvas.repaint()
        # The paint only asked: no image yet, one render started off the GUI thread.
        assert canvas.cache.cached is None
        assert canvas.renderer.busy and canvas.renderer.started >= 1
        with qtbot.waitSignal(canvas.rendered, timeout=10_000):
            pass
    finally:
        renderer._draw = original
    assert threads and threading.main_thread().name not in threads
    assert canvas.cache.is_current(canvas.viewport, canvas.drawn_stack())
    assert canvas.cache.cached.stats.drawn["grid"] == 60
    # The worker's image is the image the GUI thread would have drawn.
    from_worker = _pixels(canvas.cache.cached.image)
    canvas.render_now()
    assert np.array_equal(from_worker, _pixels(canvas.cache.cached.image))


def test_a_newer_view_drops_the_older_render(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    canvas = _async(window)
    applied: list[object] = []
    canvas.renderer.rendered.connect(lambda req, cached: applied.append(cached.viewport))
    canvas.repaint()  # renders the full view
    canvas.zoom_by(2.0)
    canvas.repaint()  # asks again before the first is done
    target = canvas.viewport
    qtbot.waitUntil(lambda: not canvas.renderer.busy, timeout=10_000)
    assert applied == [target]
    assert canvas.cache.cached.viewport == target


def test_repeated_paints_of_one_view_render_once(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    canvas = _async(window)
    before = canvas.renderer.started
    for _ in range(5):
        canvas.repaint()
    qtbot.waitUntil(lambda: not canvas.renderer.busy, timeout=10_000)
    canvas.repaint()  # the image is current now: nothing more to render
    assert canvas.renderer.started - before == 1


def test_while_zooming_the_last_image_is_shown_scaled(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QImage, QPainter

    from gridapp.qt.canvas_render import paint_preview

    canvas = _async(window)
    canvas.repaint()
    qtbot.waitUntil(lambda: not canvas.renderer.busy, timeout=10_000)
    old = canvas.cache.cached
    canvas.zoom_by(2.0)
    vp = canvas.viewport
    image = QImage(vp.width, vp.height, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    paint_preview(painter, old, vp, "#ffffff")
    painter.end()
    # Each map point shows the colour the old frame had there: sample points
    # of the middle half, old pixel -> new pixel through the two viewports.
    xs, ys = np.meshgrid(np.linspace(0.3, 0.7, 41) * vp.width,
                         np.linspace(0.3, 0.7, 41) * vp.height)
    mx, my = vp.device_to_map(xs.ravel(), ys.ravel())
    ox, oy = old.viewport.map_to_device(mx, my)
    checked, colours = 0, set()
    for x, y, a, b in zip(xs.ravel(), ys.ravel(), ox, oy, strict=True):
        around = {old.image.pixelColor(int(a) + i, int(b) + j).name()
                  for i in (-1, 0, 1) for j in (-1, 0, 1)}
        if len(around) > 1:
            continue  # on a line or a letter: half a pixel decides
        assert image.pixelColor(int(x), int(y)).name() == around.pop()
        checked += 1
        colours.add(old.image.pixelColor(int(a), int(b)).name())
    assert checked > 50 and len(colours) > 1


def test_grab_shows_the_finished_map_in_either_mode(window) -> None:  # type: ignore[no-untyped-def]
    canvas = _async(window)
    image = canvas.grab().toImage()
    assert canvas.cache.is_current(canvas.viewport, canvas.drawn_stack())
    # The top left corner, away from the scale bar and the north arrow.
    assert np.array_equal(_pixels(image)[:200, :800],
                          _pixels(canvas.cache.cached.image)[:200, :800])


def test_closing_the_window_waits_for_the_render(make_window, demo_copy, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(demo_copy)
    canvas = _async(window)
    canvas.repaint()
    assert canvas.renderer.busy
    window.close()  # make_window's teardown asserts no thread is left running
    assert canvas.renderer.worker is None or not canvas.renderer.worker.isRunning()


def test_the_login_dialog_stays_live_while_the_password_is_checked(qtbot, demo_copy) -> None:  # type: ignore[no-untyped-def]
    from gridapp.qt.login_dialog import LoginDialog
    from gridapp.qt.translator import LanguageSwitcher
    from gridapp.storage import open_store

    LanguageSwitcher().apply("zh")  # the autouse fixture of tests/qt puts the language back
    store = open_store(demo_copy)
    try:
        dialog = LoginDialog(store, show_demo_users=True)
        qtbot.addWidget(dialog)
        dialog.username.setText("admin")
        dialog.password.setText("Admin-demo-2026")
        seen: list[tuple[bool, str, str]] = []
        # Runs only if the event loop turns while the login is being checked.
        QTimer.singleShot(0, lambda: seen.append((
            dialog.buttons.isEnabled(), dialog.error.text(),
            threading.current_thread().name)))
        assert dialog.try_login()
        assert seen == [(False, "正在登录…", threading.main_thread().name)]
        assert dialog.buttons.isEnabled() and dialog.error.text() == ""
        assert dialog.session.user.username == "admin"
    finally:
        store.close()
