"""Keepalive repeats the last progress step when it has been silent (no sleeps: the
beat is asked at chosen instants)."""

from __future__ import annotations

import time

from gridapp.services.demo.keepalive import Keepalive


def test_a_silent_step_is_repeated_with_its_seconds_and_a_busy_one_is_not():
    calls = []
    k = Keepalive(lambda d, t, m="": calls.append((d, t, m)), every=10.0)
    k(2, 7, "reports: writing")
    start = time.monotonic()
    assert not k.beat(start + 5)  # not silent long enough
    assert k.beat(start + 65)
    assert calls[-1][:2] == (2, 7) and calls[-1][2].startswith("reports: writing")
    assert calls[-1][2].endswith("… 65 s")
    k(3, 7, "case events")
    assert not k.beat(time.monotonic() + 1)
    assert calls[-1] == (3, 7, "case events")


def test_the_helper_thread_stops_with_the_block():
    with Keepalive(lambda *a: None, every=3600) as k:
        assert k._thread.is_alive()
    assert not k._thread.is_alive()
