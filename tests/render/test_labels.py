from __future__ import annotations

import numpy as np

from gridapp.render.labels import LabelPlacer, place_labels


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_placer_refuses_collisions_and_off_device():
    placer = LabelPlacer(200, 100, padding=0)
    first = placer.try_place(100, 50, 40, 10)
    assert first == (80.0, 45.0, 120.0, 55.0)  # centred on the anchor
    second = placer.try_place(100, 50, 40, 10)
    assert second is not None and not overlaps(first, second)
    assert placer.try_place(-50, -50, 40, 10) is None


def test_place_labels_by_priority_without_overlap():
    rng = np.random.default_rng(0)
    n = 300
    anchors = rng.random((n, 2)) * [400, 300]
    sizes = np.column_stack([rng.integers(20, 90, n), np.full(n, 14)])
    priority = rng.random(n)
    placed = place_labels(LabelPlacer(400, 300), np.array([f"L{i}" for i in range(n)]),
                          anchors, sizes, priority, np.arange(n))
    assert 5 < len(placed) < n
    rects = [p.rect for p in placed]
    assert not any(overlaps(a, b) for i, a in enumerate(rects) for b in rects[i + 1:])
    assert all(0 <= r[0] and r[2] <= 400 and 0 <= r[1] and r[3] <= 300 for r in rects)
    # the most important label always finds room when it fits on the device
    top = int(np.argmax(priority))
    assert placed[0].feature == top or sizes[top, 0] > 400


def test_empty_texts_are_skipped():
    placed = place_labels(LabelPlacer(100, 100), np.array(["", "a"]), np.array([[50, 50], [50, 50]]),
                          np.array([[10, 10], [10, 10]]), np.array([2.0, 1.0]), np.array([0, 1]))
    assert [p.text for p in placed] == ["a"]
