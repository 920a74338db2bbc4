"""The print report: what was missing while reading a page's data or adjusted while
laying it out (Qt-free; the services start it, :mod:`gridapp.printing` adds to it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from gridapp import i18n

LEVELS = ("info", "warning", "error")


@dataclass(frozen=True)
class PrintNote:
    """One message: level, text in both languages, and the values involved."""

    level: str
    zh: str
    en: str
    params: tuple[tuple[str, object], ...] = ()

    @property
    def message(self) -> str:
        return i18n.pick(self.zh, self.en, **dict(self.params))


@dataclass
class PrintReport:
    """Messages collected while printing, without duplicates, in order."""

    notes: list[PrintNote] = field(default_factory=list)

    def add(self, level: str, zh: str, en: str, **params: object) -> None:
        note = PrintNote(level, zh, en, tuple(sorted(params.items())))
        if note not in self.notes:
            self.notes.append(note)

    def of_level(self, level: str) -> list[PrintNote]:
        return [n for n in self.notes if n.level == level]

    def lines(self) -> list[str]:
        tag = {"info": i18n.pick("提示", "info"), "warning": i18n.pick("注意", "warning"),
               "error": i18n.pick("错误", "error")}
        return [f"[{tag[n.level]}] {n.message}" for n in self.notes]

    def __len__(self) -> int:
        return len(self.notes)
