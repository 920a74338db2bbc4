"""Fixtures of the assessment widget tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def chinese_ui(qapp):
    """The window's texts in Chinese (the catalogues installed), English again after."""
    from gridapp.qt.translator import LanguageSwitcher

    switcher = LanguageSwitcher()
    switcher.apply("zh")
    yield
    switcher.apply("en")
