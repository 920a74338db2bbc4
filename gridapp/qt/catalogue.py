"""The one translation toolchain: every Chinese Qt catalogue, built by one command.

Qt texts are written in English in the code (``self.tr``, ``QCoreApplication.
translate``, ``QT_TRANSLATE_NOOP``); their Chinese lives next to the widgets in a
``translations_zh.py`` module per package (``gridapp/qt/translations_zh.py`` for
the window itself, ``gridapp/qt/<feature>/translations_zh.py`` for a feature, at
any depth).  Each such module holds::

    ZH: dict[str, dict[str, str]]        # {context: {English source: Chinese}}
    EXTRA: tuple[tuple[str, str], ...]   # optional: (context, source) pairs the
                                         # code translates through a variable

Run from the repository root after changing texts::

    python -m gridapp.qt.catalogue           # rebuild every catalogue
    python -m gridapp.qt.catalogue --check   # change nothing; exit 1 if stale

One ``lupdate`` run reads every module under ``gridapp/qt``; each extracted
(context, source) goes to the catalogue whose ``ZH`` translates it, written as
``resources/translations/<package>_zh_CN.ts`` and compiled to ``.qm`` (the window
loads every ``*_zh_CN.qm``; see :mod:`gridapp.qt.translator`).  A text no module
translates is reported as untranslated and the command exits 1; so does a text
two modules translate differently, and (with ``--check``) a committed catalogue
that differs from what the modules would build.  Chinese with no text left in
the code is reported as unused (a warning).

Qt-free text (services, CLI, printing) does not come here: it is written as
``gridapp.i18n.pick(zh, en)`` where it is used.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
QT_SOURCES = ROOT / "gridapp" / "qt"
TRANSLATIONS = ROOT / "resources" / "translations"
MODULE = "translations_zh.py"
SUFFIX = "_zh_CN"


def qt_tool(name: str) -> str:
    """Path of a Qt tool shipped inside the PySide6 wheel (lupdate, lrelease).

    The ``pyside6-lrelease`` wrapper script fails in some venvs; the binaries
    next to the package work.
    """
    import PySide6.QtCore as qc

    return str(Path(qc.__file__).resolve().parent / name)


@dataclass
class Catalogue:
    """One ``translations_zh.py`` and the catalogue it becomes."""

    name: str
    module: str
    zh: Mapping[str, Mapping[str, str]]
    extra: tuple[tuple[str, str], ...] = ()
    messages: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def ts(self) -> Path:
        return TRANSLATIONS / f"{self.name}{SUFFIX}.ts"


@dataclass
class Result:
    catalogues: list[Catalogue]
    untranslated: list[str]
    conflicts: list[str]
    unused: list[str]
    stale: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.untranslated or self.conflicts or self.stale)


def discover(base: Path = QT_SOURCES) -> list[Catalogue]:
    """Every ``translations_zh.py`` under *base*, imported; named by its package."""
    found: dict[str, Catalogue] = {}
    for path in sorted(base.rglob(MODULE)):
        rel = path.relative_to(ROOT).with_suffix("")
        module = ".".join(rel.parts)
        name = "gridapp" if path.parent == base else path.parent.name
        if name in found:
            raise SystemExit(f"two catalogues named {name!r}: {found[name].module}, {module}")
        mod = importlib.import_module(module)
        zh = getattr(mod, "ZH", None)
        if not isinstance(zh, Mapping) or not all(isinstance(v, Mapping) for v in zh.values()):
            raise SystemExit(f"{module}.ZH must be {{context: {{source: Chinese}}}}")
        found[name] = Catalogue(name, module, zh, tuple(getattr(mod, "EXTRA", ())))
    return list(found.values())


def extract(base: Path = QT_SOURCES) -> list[tuple[str, str]]:
    """(context, source) of every translatable text in the Qt code, by lupdate."""
    sources = sorted(str(p) for p in base.rglob("*.py"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "all.ts"
        subprocess.run([qt_tool("lupdate"), *sources, "-ts", str(out),
                        "-target-language", "zh_CN", "-no-obsolete",
                        "-locations", "none", "-silent"], check=True)
        root = ET.parse(out).getroot()
    pairs = []
    for ctx in root.iter("context"):
        name = ctx.findtext("name") or ""
        for message in ctx.iter("message"):
            pairs.append((name, message.findtext("source") or ""))
    return pairs


def assign(catalogues: Sequence[Catalogue], pairs: Sequence[tuple[str, str]]) -> Result:
    """Give each text to the catalogues that translate it; list what is left."""
    wanted = dict.fromkeys(pairs)
    for cat in catalogues:
        wanted.update(dict.fromkeys(cat.extra))
    untranslated, conflicts = [], []
    for context, source in wanted:
        owners = [c for c in catalogues if source in c.zh.get(context, {})]
        label = f"{context or '(no context)'}: {source!r}"
        if not owners:
            untranslated.append(label)
            continue
        chinese = {c.zh[context][source] for c in owners}
        if len(chinese) > 1:
            conflicts.append(f"{label} is {' / '.join(sorted(chinese))} in "
                             + ", ".join(c.module for c in owners))
        for cat in owners:
            cat.messages.setdefault(context, {})[source] = cat.zh[context][source]
    unused = [f"{cat.module}: {context}: {source!r}"
              for cat in catalogues for context, texts in cat.zh.items()
              for source in texts if (context, source) not in wanted]
    return Result(list(catalogues), untranslated, conflicts, unused)


def ts_text(messages: Mapping[str, Mapping[str, str]]) -> str:
    """The .ts file of *messages*, contexts and sources sorted (stable diffs)."""
    root = ET.Element("TS", version="2.1", language="zh_CN", sourcelanguage="en")
    for context in sorted(messages):
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = context
        for source in sorted(messages[context]):
            msg = ET.SubElement(ctx, "message")
            ET.SubElement(msg, "source").text = source
            ET.SubElement(msg, "translation").text = messages[context][source]
    ET.indent(root)
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
            + ET.tostring(root, encoding="unicode") + "\n")


def compile_qm(ts: Path, qm: Path) -> None:
    subprocess.run([qt_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def run(*, write: bool, base: Path = QT_SOURCES) -> Result:
    """Build every catalogue; write them (``write``) or compare with the committed."""
    result = assign(discover(base), extract(base))
    if result.conflicts:
        return result
    names = {cat.ts.name for cat in result.catalogues}
    orphans = sorted(p for p in TRANSLATIONS.glob(f"*{SUFFIX}.ts") if p.name not in names)
    with tempfile.TemporaryDirectory() as tmp:
        for cat in result.catalogues:
            text = ts_text(cat.messages)
            fresh_ts, fresh_qm = Path(tmp) / cat.ts.name, Path(tmp) / f"{cat.name}.qm"
            fresh_ts.write_text(text, encoding="utf-8")
            compile_qm(fresh_ts, fresh_qm)
            qm = cat.ts.with_suffix(".qm")
            same = (cat.ts.is_file() and cat.ts.read_text(encoding="utf-8") == text
                    and qm.is_file() and qm.read_bytes() == fresh_qm.read_bytes())
            if same:
                continue
            if write:
                cat.ts.write_text(text, encoding="utf-8")
                qm.write_bytes(fresh_qm.read_bytes())
            else:
                result.stale.append(f"{cat.ts.name} (from {cat.module})")
    for ts in orphans:
        if write:
            ts.unlink()
            ts.with_suffix(".qm").unlink(missing_ok=True)
        else:
            result.stale.append(f"{ts.name} (no {MODULE} builds it)")
    return result


def build(name: str = "", sources: Sequence[Path] = (),
          translations: Mapping[str, Mapping[str, str]] | None = None) -> list[str]:
    """Older per-feature entry point: now rebuilds every catalogue (arguments ignored).

    Returns the untranslated texts, as before.  Use ``python -m gridapp.qt.catalogue``.
    """
    return run(write=True).untranslated


def report(missing: Sequence[str]) -> int:
    for m in missing:
        print("untranslated:", m)
    return 1 if missing else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gridapp.qt.catalogue",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a catalogue is stale")
    args = parser.parse_args(argv)
    result = run(write=not args.check)
    for line in result.untranslated:
        print("untranslated:", line)
    for line in result.conflicts:
        print("conflict:", line)
    for line in result.stale:
        print("stale (run python -m gridapp.qt.catalogue):", line)
    for line in result.unused:
        print("unused (warning):", line)
    built = ", ".join(c.ts.name for c in result.catalogues)
    print(f"{len(result.catalogues)} catalogues: {built}")
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
