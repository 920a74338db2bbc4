"""Print preview of the notice-board poster: choose, look, print.

The preview is the page drawn by the same ``render_page`` the PDF writer
calls, at the chosen DPI on a painter scaled down to the preview image.
Renders run on a worker after a short pause in the user's changes
(debounced), so typing a scale or a DPI never freezes the dialog; a result
whose choices are no longer current is dropped and rendered again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gridapp.qt.error_text import error_text
from gridapp.qt.fit import FittedDialog
from gridapp.qt.printing.job_footer import JobFooter
from gridapp.qt.printing.jobs import (
    FORMATS,
    ORIENTATIONS,
    PAPERS,
    LoadedData,
    PosterRequest,
    PreviewResult,
    export_poster,
    list_templates,
    load_data,
    make_spec,
    render_preview,
    with_suffix,
)
from gridapp.qt.printing.preview_view import PreviewView
from gridapp.qt.worker import WorkerThread
from gridapp.services.maps_out import printing as printing_service

OPEN_TEMPLATE = "__open__"
EXTENTS = ("place", "view", "street")


def fill_report(widget: QListWidget, report: Any) -> None:
    """Show a print report's notes, warnings first (icons by level)."""
    from PySide6.QtWidgets import QStyle

    widget.clear()
    icons = {"error": QStyle.StandardPixmap.SP_MessageBoxCritical,
             "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
             "info": QStyle.StandardPixmap.SP_MessageBoxInformation}
    order = {"error": 0, "warning": 1, "info": 2}
    notes = sorted(getattr(report, "notes", []), key=lambda n: order.get(n.level, 3))
    for note in notes:
        item = QListWidgetItem(widget.style().standardIcon(icons.get(note.level, icons["info"])),
                               note.message)
        item.setData(Qt.ItemDataRole.UserRole, note.level)
        widget.addItem(item)


class PrintPreviewDialog(FittedDialog):
    """Choose template, place, paper, format, DPI, extent and scale; see and print the poster.

    Parameters
    ----------
    session : Session
        Who prints (``print.maps`` is checked again when the poster is
        written); the services read its open workspace on workers.
    view_extent : callable, optional
        Returns the main map's current extent (metric CRS) for "current map view".
    choose_path : callable, optional
        ``choose_path(suggested: Path, fmt: str) -> str | None``; the default
        asks with a file dialog (tests pass a function).
    """

    previewReady = Signal()
    exported = Signal(object)  # PrintResult

    DEBOUNCE_MS = 250

    def __init__(self, session: Any, parent: QWidget | None = None, *,
                 view_extent: Callable[[], Any] | None = None,
                 choose_path: Callable[[Path, str], str | None] | None = None,
                 community: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printPreviewDialog")
        self.session = session
        self.view_extent = view_extent or (lambda: None)
        self.choose_path = choose_path or self._ask_path
        self.preview_long_side = 1100
        self.result: PreviewResult | None = None
        self.last_export: Any = None
        self.last_error = ""
        self._data: dict[Any, LoadedData] = {}
        self._render: WorkerThread | None = None
        self._render_threads: list[WorkerThread] = []
        self._closing = False

        communities = printing_service.communities(session)
        self._places = [(str(c), str(n)) for c, n in zip(communities["code"],
                                                          communities["name"], strict=False)]
        self._street_extent: tuple[float, float, float, float] | None = None
        if len(communities):
            x0, y0, x1, y1 = (float(v) for v in communities.total_bounds)
            self._street_extent = (x0, y0, x1, y1)
        self._build()
        self.retranslate()
        if community:
            i = self.place.findData(community)
            if i >= 0:
                self.place.setCurrentIndex(i)
        self._template_index = self.template.currentIndex()
        self._connect()
        self.resize(1150, 780)
        self.schedule()

    # ------------------------------------------------------------ building
    def _build(self) -> None:
        self.template = QComboBox(self)
        self.template.setObjectName("template")
        for entry in list_templates("poster"):
            self.template.addItem(entry.name, str(entry.path))
        self.template.insertSeparator(self.template.count())
        self.template.addItem("", OPEN_TEMPLATE)
        self.place = QComboBox(self)
        self.place.setObjectName("place")
        for code, name in self._places:
            self.place.addItem(name, code)
        self.place.addItem("", None)  # the whole street (titled in retranslate)
        self.paper = QComboBox(self)
        self.paper.setObjectName("paper")
        for p in PAPERS:
            self.paper.addItem(p, p)
        self.orientation = QComboBox(self)
        self.orientation.setObjectName("orientation")
        for o in ORIENTATIONS:
            self.orientation.addItem("", o)
        self.format = QComboBox(self)
        self.format.setObjectName("format")
        for f in FORMATS:
            self.format.addItem(f.upper(), f)
        self.dpi = QSpinBox(self)
        self.dpi.setObjectName("dpi")
        self.dpi.setRange(30, 1200)
        self.dpi.setSingleStep(50)
        self.dpi.setValue(300)
        self.dpi.setKeyboardTracking(False)
        self.extent = QComboBox(self)
        self.extent.setObjectName("extent")
        for e in EXTENTS:
            self.extent.addItem("", e)
        self.fixed_scale = QCheckBox(self)
        self.fixed_scale.setObjectName("fixedScale")
        self.scale = QSpinBox(self)
        self.scale.setObjectName("scale")
        self.scale.setRange(100, 1_000_000)
        self.scale.setSingleStep(500)
        self.scale.setValue(5000)
        self.scale.setPrefix("1:")
        self.scale.setGroupSeparatorShown(True)
        self.scale.setKeyboardTracking(False)
        self.scale.setEnabled(False)
        scale_row = QHBoxLayout()
        scale_row.addWidget(self.fixed_scale)
        scale_row.addWidget(self.scale, 1)

        self.form = QFormLayout()
        self.labels = {k: QLabel(self) for k in ("template", "place", "paper", "orientation",
                                                 "format", "dpi", "extent", "scale")}
        for key, field in (("template", self.template), ("place", self.place),
                           ("paper", self.paper), ("orientation", self.orientation),
                           ("format", self.format), ("dpi", self.dpi),
                           ("extent", self.extent)):
            self.form.addRow(self.labels[key], field)
        self.form.addRow(self.labels["scale"], scale_row)
        self.options_box = QGroupBox(self)
        self.options_box.setLayout(self.form)

        self.report = QListWidget(self)
        self.report.setObjectName("printReport")
        self.report.setWordWrap(True)
        self.report_box = QGroupBox(self)
        rl = QVBoxLayout(self.report_box)
        rl.addWidget(self.report)

        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.options_box)
        ll.addWidget(self.report_box, 1)
        self.view = PreviewView(self)
        self.page_info = QLabel(self)
        self.page_info.setObjectName("pageInfo")
        right = QWidget(self)
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(0, 0, 0, 0)
        rlay.addWidget(self.view, 1)
        rlay.addWidget(self.page_info)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([330, 800])

        self.footer = JobFooter(self, "exportButton", self.export, written=self._written,
                                failed=self._export_failed, cancelled=self._export_cancelled)
        self.footer.finished.connect(self.exported)
        lay = QVBoxLayout(self)
        lay.addWidget(split, 1)
        lay.addWidget(self.footer)

        self._timer = QTimer(self)
        self._timer.setObjectName("previewDebounce")
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DEBOUNCE_MS)
        self._timer.timeout.connect(self.render_now)

    def _connect(self) -> None:
        for combo in (self.place, self.paper, self.orientation, self.extent):
            combo.currentIndexChanged.connect(self.schedule)
        self.template.currentIndexChanged.connect(self._on_template)
        self.dpi.valueChanged.connect(self.schedule)
        self.scale.valueChanged.connect(self.schedule)
        self.fixed_scale.toggled.connect(self.scale.setEnabled)
        self.fixed_scale.toggled.connect(self.schedule)
        self.format.currentIndexChanged.connect(self._update_info)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Print preview — notice-board poster"))
        self.template.setItemText(self.template.count() - 1, self.tr("Open template file…"))
        self.place.setItemText(self.place.count() - 1, self.tr("Whole street"))
        for i, text in enumerate((self.tr("Portrait"), self.tr("Landscape"))):
            self.orientation.setItemText(i, text)
        for i, text in enumerate((self.tr("The poster's community or street"),
                                  self.tr("Current map view"), self.tr("Whole street"))):
            self.extent.setItemText(i, text)
        self.fixed_scale.setText(self.tr("Fixed"))
        for key, text in {"template": self.tr("Template"), "place": self.tr("Poster for"),
                          "paper": self.tr("Paper"), "orientation": self.tr("Orientation"),
                          "format": self.tr("Format"), "dpi": self.tr("DPI"),
                          "extent": self.tr("Map extent"), "scale": self.tr("Scale")}.items():
            self.labels[key].setText(text)
        self.options_box.setTitle(self.tr("Layout"))
        self.report_box.setTitle(self.tr("Print report"))
        self.footer.button.setText(self.tr("Print / Export…"))
        self.footer.retranslate()
        self._update_info()

    # ------------------------------------------------------------ choices
    def request(self) -> PosterRequest:
        """The current choices (snapshotted on the GUI thread)."""
        mode = self.extent.currentData()
        extent: tuple[float, float, float, float] | None = None
        if mode == "view":
            value = self.view_extent()
            if value is not None:
                x0, y0, x1, y1 = (float(v) for v in value)
                extent = (x0, y0, x1, y1)
        elif mode == "street":
            extent = self._street_extent
        tpl = self.template.currentData()
        return PosterRequest(
            template=Path(tpl) if tpl and tpl != OPEN_TEMPLATE else None,
            community=self.place.currentData(),
            paper=self.paper.currentData(),
            orientation=self.orientation.currentData(),
            fmt=self.format.currentData(),
            dpi=float(self.dpi.value()),
            extent=extent,
            scale=float(self.scale.value()) if self.fixed_scale.isChecked() else None)

    def set_choice(self, combo: QComboBox, data: Any) -> None:
        """Select the item of *combo* holding *data* (tests and callers)."""
        i = combo.findData(data)
        if i < 0:
            raise ValueError(f"{combo.objectName()} has no {data!r}")
        combo.setCurrentIndex(i)

    def _on_template(self, index: int) -> None:
        if self.template.itemData(index) == OPEN_TEMPLATE:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Open layout template"), "",
                self.tr("Layout templates (*.toml)"))
            if path:
                self.add_template_file(path)
            else:
                self.template.blockSignals(True)
                self.template.setCurrentIndex(self._template_index)
                self.template.blockSignals(False)
            return
        self._template_index = index
        self.schedule()

    def add_template_file(self, path: str | Path) -> None:
        """Offer a template file from anywhere and select it."""
        path = Path(path)
        i = self.template.findData(str(path))
        if i < 0:
            i = self.template.count() - 2  # before the separator
            self.template.insertItem(i, path.name, str(path))
        self.template.setCurrentIndex(i)

    # ------------------------------------------------------------ preview
    def schedule(self) -> None:
        """Render again after a short pause (restarted by every change)."""
        if self._closing:
            return
        self.view.set_status(self.tr("Updating preview…"))
        self._timer.start()

    def view_changed(self, *_args: Any) -> None:
        """The main map moved: render again if the poster shows the current view."""
        if self.extent.currentData() == "view":
            self.schedule()

    @property
    def rendering(self) -> bool:
        return self._render is not None or self._timer.isActive()

    def render_now(self) -> None:
        """Start rendering the current choices (unless a render is running)."""
        self._timer.stop()
        if self._closing or self._render is not None:
            return  # the running render's result is checked and re-run when stale
        request = self.request()
        session, cached, long_side = self.session, self._data.get(request.data_key()), \
            self.preview_long_side

        def work(progress: Any, cancel: Any) -> tuple[PreviewResult, LoadedData]:
            loaded = cached if cached is not None else load_data(session, request)
            cancel.check()
            spec = make_spec(loaded, request)
            image, page, k = render_preview(spec, long_side)
            return PreviewResult(request, image, spec.report, page, k), loaded

        worker = WorkerThread(work, self)
        worker.request = request
        self._render = worker
        self._render_threads.append(worker)
        worker.succeeded.connect(lambda r, w=worker: self._on_rendered(w, r, None))
        worker.failed.connect(lambda e, w=worker: self._on_rendered(w, None, e))
        worker.finished.connect(lambda w=worker: self._reap(w))
        worker.start()

    def _reap(self, worker: WorkerThread) -> None:
        if worker in self._render_threads and not worker.isRunning():
            self._render_threads.remove(worker)
            worker.deleteLater()

    def _on_rendered(self, worker: WorkerThread, value: Any, error: BaseException | None) -> None:
        if worker is not self._render or self._closing:
            return
        self._render = None
        current = self.request()
        if value is not None:
            result, loaded = value
            self._data[result.request.data_key()] = loaded
            if result.request != current:
                self.render_now()  # stale: the choices changed meanwhile
                return
            self.result = result
            self.last_error = ""
            self.view.set_image(result.image)
            self.view.set_status("")
            fill_report(self.report, result.report)
            self._update_info()
            self.previewReady.emit()
        elif worker.request != current:
            self.render_now()
        else:
            self.last_error = error_text(error) if error is not None else ""
            self.result = None
            self.view.set_image(None)
            self.view.set_status(self.tr("Cannot preview: {error}").format(
                error=self.last_error))
            self.report.clear()
            self.report.addItem(self.last_error)
            self.previewReady.emit()

    def _update_info(self) -> None:
        r = self.result
        if r is None:
            self.page_info.setText("")
            return
        from gridapp.printing.template import Paper

        paper = Paper.of(r.request.paper, r.request.orientation)
        w, h = paper.pixels(r.request.dpi)
        scale = (r.page.viewport.scale_denominator
                 if r.page is not None and r.page.viewport is not None else None)
        text = self.tr("{paper} {w:.0f} × {h:.0f} mm · {pw} × {ph} px at {dpi:.0f} dpi").format(
            paper=paper.name, w=paper.width_mm, h=paper.height_mm, pw=w, ph=h, dpi=r.request.dpi)
        if scale:
            text += " · " + self.tr("map scale 1:{n:,.0f}").format(n=scale)
        self.page_info.setText(text)

    # ------------------------------------------------------------ export
    def suggested_path(self) -> Path:
        base = printing_service.default_folder(self.session)
        place = self.place.currentText() or "poster"
        return with_suffix(base / f"{place}网格分布图", self.format.currentData())

    def _ask_path(self, suggested: Path, fmt: str) -> str | None:
        filters = {"pdf": self.tr("PDF (*.pdf)"), "png": self.tr("PNG image (*.png)"),
                   "jpeg": self.tr("JPEG image (*.jpg *.jpeg)")}
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export poster"), str(suggested),
                                              filters[fmt])
        return path or None

    def export(self) -> bool:
        """Ask where, then write the poster on a worker (progress and cancel below)."""
        if self.footer.busy:
            return False
        request = self.request()
        path = self.choose_path(self.suggested_path(), request.fmt)
        if not path:
            return False
        return self.export_to(path, request)

    def export_to(self, path: str | Path, request: PosterRequest | None = None) -> bool:
        if self.footer.busy:
            return False
        request = request or self.request()
        out = with_suffix(path, request.fmt)
        session = self.session

        def work(progress: Any, cancel: Any) -> Any:
            return export_poster(session, request, out, progress=progress, cancel=cancel)

        return self.footer.run(work, out)

    def _written(self, result: Any) -> str:
        self.last_export = result
        fill_report(self.report, result.report)
        return self.tr("Written {path} in {s:.1f} s").format(path=str(result.path),
                                                              s=result.seconds)

    def _export_failed(self, error: str) -> str:
        self.last_error = error  # the preview's errors and the export's, the latest
        return self.tr("Export failed: {error}").format(error=error)

    def _export_cancelled(self) -> str:
        return self.tr("Export cancelled")

    # ------------------------------------------------------------ closing
    def done(self, code: int) -> None:
        self.shutdown()
        super().done(code)

    def shutdown(self) -> None:
        """Stop the timer and wait for the preview and export threads."""
        self._closing = True
        self._timer.stop()
        self.footer.job.shutdown()
        self._render = None
        for worker in list(self._render_threads):
            worker.stop()
        self._render_threads.clear()
