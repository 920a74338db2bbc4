"""Export the offline web map (one HTML file) on a worker, then open it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gridapp.qt.fit import FittedDialog
from gridapp.qt.printing.job_footer import JobFooter
from gridapp.services.maps_out import printing as printing_service


class WebMapDialog(FittedDialog):
    """Days of reports, community, heat map, optional tile URL; export and open.

    Parameters
    ----------
    opener : callable, optional
        ``opener(path)`` shows the written file; the default opens it in a
        QtWebEngine window when available, else in the system browser.
        Tests pass their own so nothing external opens.
    """

    finished_job = Signal(object)  # WebMapResult or None

    def __init__(self, session: Any, parent: QWidget | None = None, *,
                 opener: Callable[[Path], Any] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("webMapDialog")
        self.session = session  # the service checks export.data with it
        self.opener = opener or self._open
        communities = printing_service.communities(session)
        self.days = QSpinBox(self)
        self.days.setObjectName("days")
        self.days.setRange(1, 3650)
        self.days.setValue(90)
        self.community = QComboBox(self)
        self.community.setObjectName("community")
        self.community.addItem("", None)
        for code, name in zip(communities["code"], communities["name"], strict=False):
            self.community.addItem(str(name), str(code))
        self.heat = QCheckBox(self)
        self.heat.setObjectName("heat")
        self.heat.setChecked(True)
        self.tile_url = QLineEdit(self)
        self.tile_url.setObjectName("tileUrl")
        self.tile_url.setPlaceholderText("https://…/{z}/{x}/{y}.png")
        self.open_after = QCheckBox(self)
        self.open_after.setObjectName("openAfter")
        self.open_after.setChecked(True)
        self.output = QLineEdit(self)
        self.output.setObjectName("output")
        self.output.setText(str(printing_service.default_folder(session) / "网格地图.html"))
        self.browse = QPushButton(self)
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.output, 1)
        row.addWidget(self.browse)
        self.labels = {k: QLabel(self) for k in ("days", "community", "heat", "tiles", "output")}
        form = QFormLayout()
        form.addRow(self.labels["days"], self.days)
        form.addRow(self.labels["community"], self.community)
        form.addRow(self.labels["heat"], self.heat)
        form.addRow(self.labels["tiles"], self.tile_url)
        form.addRow(self.labels["output"], row)
        form.addRow("", self.open_after)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.footer = JobFooter(self, "startButton", self.start, written=self._written,
                                failed=self._failed, cancelled=self._cancelled)
        self.footer.finished.connect(self.finished_job)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.hint)
        lay.addStretch(1)
        lay.addWidget(self.footer)
        self.retranslate()
        self.resize(600, 360)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Export web map"))
        self.community.setItemText(0, self.tr("Whole street"))
        self.days.setSuffix(self.tr(" days"))
        for key, text in {"days": self.tr("Reports of the last"),
                          "community": self.tr("Area"), "heat": self.tr("Heat map"),
                          "tiles": self.tr("Base map tile URL (optional)"),
                          "output": self.tr("HTML file")}.items():
            self.labels[key].setText(text)
        self.heat.setText(self.tr("Show the heat map of reports"))
        self.open_after.setText(self.tr("Open the map when written"))
        self.hint.setText(self.tr(
            "The file works without internet. A tile URL adds an online base map, "
            "which then needs internet."))
        self.browse.setText(self.tr("Browse…"))
        self.footer.button.setText(self.tr("Export"))
        self.footer.retranslate()

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Web map"), self.output.text(),
                                              self.tr("Web page (*.html)"))
        if path:
            self.output.setText(path if path.lower().endswith(".html") else path + ".html")

    def options(self) -> Any:
        from gridapp.services.maps_out.webmap import WebMapOptions

        url = self.tile_url.text().strip() or None
        return WebMapOptions(days=self.days.value(), community=self.community.currentData(),
                             heat=self.heat.isChecked(), tile_url=url,
                             tile_attribution=url and self.tr("Base map: {url}").format(url=url)
                             or "")

    def start(self) -> bool:
        if self.footer.busy or not self.output.text().strip():
            return False
        from gridapp.services.maps_out.webmap import export_webmap

        out = Path(self.output.text().strip())
        options, session = self.options(), self.session

        def work(progress: Any, cancel: Any) -> Any:
            return export_webmap(session, out, options, progress=progress, cancel=cancel)

        return self.footer.run(work, out)

    def _open(self, path: Path) -> Any:
        from gridapp.qt.printing.web_view import open_webmap

        return open_webmap(path, self.parent())

    def _written(self, result: Any) -> str:
        if self.open_after.isChecked():
            self.opener(result.path)
        return self.tr(
            "Written {path} ({kb:,.0f} KB): {g} grids, {r} reports, {t} tasks").format(
            path=str(result.path), kb=result.size_bytes / 1024, g=result.grids, r=result.reports,
            t=result.tasks)

    def _failed(self, error: str) -> str:
        return self.tr("The web map could not be written: {error}").format(error=error)

    def _cancelled(self) -> str:
        return self.tr("Cancelled")


__all__ = ["WebMapDialog"]
