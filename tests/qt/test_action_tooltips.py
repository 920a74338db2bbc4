"""Tooltips of the window's actions read as plain text (issue 21 polish): a menu title's
accelerator — '&' or a Chinese title's '(&F)' — never shows in a tooltip or the status
tip; the shortcut, where there is one, is still named in brackets."""

from __future__ import annotations

import re


def test_no_tooltip_shows_a_menu_accelerator(window) -> None:  # type: ignore[no-untyped-def]
    actions = [window.actions[i] for i in window.actions.ids()]
    assert len(actions) >= 20
    assert [a.objectName() for a in actions if "&" in a.toolTip() or "&" in a.statusTip()] == []
    titled = [a for a in actions if re.search(r"\(&\w\)", a.text())]
    assert titled, "the window has Chinese titles with an accelerator such as 文件(&F)"
    for a in titled:
        letter = re.search(r"\(&(\w)\)", a.text()).group(1)
        shortcut = a.shortcut().toString()
        if shortcut != letter:
            assert f"({letter})" not in a.toolTip(), a.objectName()
