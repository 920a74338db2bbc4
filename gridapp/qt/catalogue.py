"""Building a feature's Chinese Qt catalogue (developer tool, not used at run time).

Each feature keeps its Chinese texts in a ``translations_zh.py`` next to its
widgets, as ``{context: {English source: Chinese}}``; :func:`build` extracts the
feature's strings with Qt's ``lupdate``, fills in the Chinese, writes
``resources/translations/<name>_zh_CN.ts`` and compiles the ``.qm`` the window
loads (every ``*_zh_CN.qm`` in that folder).
"""

from __future__ import annotations

import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

TRANSLATIONS = Path(__file__).resolve().parent.parent.parent / "resources" / "translations"


def qt_tool(name: str) -> str:
    """Path of a Qt tool shipped inside the PySide6 wheel (lupdate, lrelease).

    The ``pyside6-lrelease`` wrapper script fails in some venvs; the binaries
    next to the package work.
    """
    import PySide6.QtCore as qc

    return str(Path(qc.__file__).resolve().parent / name)


def fill(tree: ET.ElementTree, translations: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Put the Chinese texts into a parsed .ts tree; return the untranslated ones."""
    missing = []
    for ctx in tree.getroot().iter("context"):
        name = ctx.find("name").text or ""  # type: ignore[union-attr]
        for message in ctx.iter("message"):
            source = message.find("source").text or ""  # type: ignore[union-attr]
            tr = message.find("translation")
            assert tr is not None
            if source in translations.get(name, {}):
                tr.text = translations[name][source]
                tr.attrib.pop("type", None)
            else:
                missing.append(f"{name}: {source!r}")
    return missing


def build(name: str, sources: Sequence[Path],
          translations: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Write and compile ``<name>_zh_CN.ts``/``.qm``; return untranslated strings."""
    ts = TRANSLATIONS / f"{name}_zh_CN.ts"
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / ts.name
        subprocess.run([qt_tool("lupdate"), *map(str, sources), "-ts", str(fresh),
                        "-target-language", "zh_CN", "-no-obsolete", "-locations", "none",
                        "-silent"], check=True)
        tree = ET.parse(fresh)
    missing = fill(tree, translations)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    subprocess.run([qt_tool("lrelease"), "-silent", str(ts), "-qm",
                    str(ts.with_suffix(".qm"))], check=True)
    return missing


def report(missing: Sequence[str]) -> int:
    for m in missing:
        print("untranslated:", m)
    return 1 if missing else 0
