"""The grid atlas: one PDF page per grid of a community or the street, on a worker."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gridapp.qt.fit import FittedDialog
from gridapp.qt.printing.job_footer import JobFooter
from gridapp.qt.printing.jobs import ORIENTATIONS, PAPERS, list_templates, with_suffix
from gridapp.qt.printing.print_preview_dialog import fill_report
from gridapp.services.maps_out import printing as printing_service


class AtlasDialog(FittedDialog):
    """Choose the community (or street), template, paper and output PDF; write the atlas.

    ``finished_job(result)`` is emitted with the ``PrintResult``, or None when
    the job failed or was cancelled (the partial file is then removed).
    """

    finished_job = Signal(object)

    def __init__(self, session: Any, parent: QWidget | None = None, *,
                 community: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("atlasDialog")
        self.session = session  # the service checks print.maps with it
        communities = printing_service.communities(session)
        self.place = QComboBox(self)
        self.place.setObjectName("place")
        for code, name in zip(communities["code"], communities["name"], strict=False):
            self.place.addItem(str(name), str(code))
        self.place.addItem("", None)
        if community and self.place.findData(community) >= 0:
            self.place.setCurrentIndex(self.place.findData(community))
        self.template = QComboBox(self)
        self.template.setObjectName("template")
        for entry in list_templates("atlas"):
            self.template.addItem(entry.name, str(entry.path))
        self.paper = QComboBox(self)
        self.paper.setObjectName("paper")
        self.paper.addItem("", None)
        for p in PAPERS:
            self.paper.addItem(p, p)
        self.orientation = QComboBox(self)
        self.orientation.setObjectName("orientation")
        self.orientation.addItem("", None)
        for o in ORIENTATIONS:
            self.orientation.addItem("", o)
        self.output = QLineEdit(self)
        self.output.setObjectName("output")
        self.browse = QPushButton(self)
        self.browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.output, 1)
        out_row.addWidget(self.browse)
        self.labels = {k: QLabel(self) for k in ("place", "template", "paper", "orientation",
                                                 "output")}
        form = QFormLayout()
        form.addRow(self.labels["place"], self.place)
        form.addRow(self.labels["template"], self.template)
        form.addRow(self.labels["paper"], self.paper)
        form.addRow(self.labels["orientation"], self.orientation)
        form.addRow(self.labels["output"], out_row)
        self.report = QListWidget(self)
        self.report.setObjectName("printReport")
        self.report.setWordWrap(True)
        self.report_box = QGroupBox(self)
        QVBoxLayout(self.report_box).addWidget(self.report)
        self.footer = JobFooter(self, "startButton", self.start, written=self._written,
                                failed=self._failed, cancelled=self._cancelled)
        self.footer.finished.connect(self.finished_job)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.report_box, 1)
        lay.addWidget(self.footer)
        self.place.currentIndexChanged.connect(self._suggest)
        self.retranslate()
        self._suggest()
        self.resize(620, 420)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Grid atlas"))
        self.place.setItemText(self.place.count() - 1, self.tr("Whole street"))
        self.paper.setItemText(0, self.tr("As in the template"))
        self.orientation.setItemText(0, self.tr("As in the template"))
        self.orientation.setItemText(1, self.tr("Portrait"))
        self.orientation.setItemText(2, self.tr("Landscape"))
        for key, text in {"place": self.tr("Atlas of"), "template": self.tr("Template"),
                          "paper": self.tr("Paper"), "orientation": self.tr("Orientation"),
                          "output": self.tr("Output PDF")}.items():
            self.labels[key].setText(text)
        self.browse.setText(self.tr("Browse…"))
        self.report_box.setTitle(self.tr("Print report"))
        self.footer.button.setText(self.tr("Write atlas"))
        self.footer.retranslate()

    def _suggest(self) -> None:
        base = printing_service.default_folder(self.session)
        self.output.setText(str(base / f"{self.place.currentText()}网格图册.pdf"))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Atlas PDF"), self.output.text(),
                                              self.tr("PDF (*.pdf)"))
        if path:
            self.output.setText(str(with_suffix(path, "pdf")))

    def start(self) -> bool:
        """Write the atlas to the output path on a worker."""
        if self.footer.busy or not self.output.text().strip():
            return False
        from gridapp.printing.jobs import write_atlas
        from gridapp.services.maps_out.printing import PosterOptions, atlas_job

        out = with_suffix(self.output.text().strip(), "pdf")
        community = self.place.currentData()
        options = PosterOptions(community=community, street=community is None,
                                paper=self.paper.currentData(),
                                orientation=self.orientation.currentData(),
                                template=self.template.currentData())
        session = self.session

        def work(progress: Any, cancel: Any) -> Any:
            job = atlas_job(session, options)
            cancel.check()
            return write_atlas(job, out, progress=progress, cancel=cancel)

        self.report.clear()
        return self.footer.run(work, out)

    def _written(self, result: Any) -> str:
        fill_report(self.report, result.report)
        return self.tr("Written {n} pages to {path} in {s:.1f} s").format(
            n=result.pages, path=str(result.path), s=result.seconds)

    def _failed(self, error: str) -> str:
        return self.tr("The atlas could not be written: {error}").format(error=error)

    def _cancelled(self) -> str:
        return self.tr("Cancelled; the partial file was removed")


__all__ = ["AtlasDialog"]
