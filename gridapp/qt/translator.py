"""Qt translations: Chinese (Simplified) by default, English as written in the code."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from gridapp import i18n

TRANSLATIONS = (
    Path(__file__).resolve().parent.parent.parent / "resources" / "translations"
)
LANGUAGES = ("zh", "en")
# Translators are per application, not per switcher: one list for the process.
_INSTALLED: list[QTranslator] = []


class LanguageSwitcher:
    """Installs the translators of one language on the application."""

    def __init__(self) -> None:
        self.language = "en"
        self._installed = _INSTALLED

    def apply(self, lang: str) -> bool:
        """Switch to *lang* (``zh`` or ``en``); True if the app catalogue loaded."""
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; use one of {LANGUAGES}")
        app = QCoreApplication.instance()
        for tr in self._installed:
            app.removeTranslator(tr)
        self._installed.clear()
        i18n.set_language(lang)
        self.language = lang
        if lang == "en":
            QLocale.setDefault(
                QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
            )
            return True
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        ok = False
        # The window's catalogue plus one per feature (resources/translations/*_zh_CN.qm),
        # so features can be translated without editing a shared file.
        for qm in sorted(TRANSLATIONS.glob("*_zh_CN.qm")):
            own = QTranslator(app)
            if own.load(str(qm)):
                app.installTranslator(own)
                self._installed.append(own)
                ok = ok or qm.name == "gridapp_zh_CN.qm"
        qt_base = QTranslator(app)  # Qt's own strings (dialog buttons, …)
        if qt_base.load(
            "qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        ):
            app.installTranslator(qt_base)
            self._installed.append(qt_base)
        return ok
