"""The leaders' dashboard: period picker, key figures, table, warnings, formulas, charts.

The figures are computed off the GUI thread (:class:`gridapp.qt.worker.WorkerThread`
over :func:`gridapp.services.assessment.dashboard.dashboard_data`); a result that
arrives after the user picked another period is dropped.  Double-clicking a
figure opens the list of cases behind it.  Beside the charts, a heat map of
the cases open at the period's end (computed in the same worker).
打印/导出PDF writes what is on screen to an A4 landscape PDF.  The 地图按预警着色 switch asks for
the grids' and communities' worst levels too and hands them out through
:attr:`DashboardWidget.mapLevels` (None when switched off); the monthly report
(月度考核通报) is written as a PDF off the GUI thread.

A district's result is put on screen in slices (:meth:`DashboardWidget._show_slices`),
the event loop getting a turn whenever a slice has run ~20 ms, so the window never
freezes (issue 17: never blocked > 100 ms): the table's rows are made in the
worker, the columns sized from the first rows only, the warnings listed a
hundred at a time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QElapsedTimer, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gridapp import i18n
from gridapp.errors import Cancelled, GridAppError
from gridapp.qt.assessment.cases_dialog import CasesBehindDialog
from gridapp.qt.assessment.charts import ChartPanel
from gridapp.qt.assessment.heatmap import HeatMapView
from gridapp.qt.assessment.kpi_table_model import UNIT_ROLE, KpiTableModel, format_value
from gridapp.qt.rows_model import RowsTableModel
from gridapp.qt.worker import WorkerThread
from gridapp.services.assessment import periods as P
from gridapp.services.assessment.dashboard import dashboard_data
from gridapp.services.assessment.indicators import UNIT_KINDS
from gridapp.services.assessment.warnings import LEVELS, flag_text

KEY_FIGURES = ("filed", "due", "close_rate", "on_time_rate", "satisfaction_rate",
               "overdue_now")
_SLICE_MS = 20  # the GUI thread's work between two turns of the event loop
_SIZE_FROM_ROWS = 20
_FLAGS_PER_SLICE = 100
_PERIOD_KINDS = ("month", "quarter", "year", "week")


class DashboardWidget(QWidget):
    """Shows :class:`DashboardData`; asks the session provider for the session."""

    failed = Signal(object)
    loaded = Signal()
    mapLevels = Signal(object)  # warnings.map_levels of the period shown, or None
    reportSaved = Signal(str)

    def __init__(self, session: Callable[[], Any], parent: QWidget | None = None,
                 *, threaded: bool = True) -> None:
        super().__init__(parent)
        # Chinese glyphs in their Simplified Chinese forms (fontconfig may pick
        # the Japanese cut for the UI font), which also keeps a printed PDF's
        # text searchable (Japanese-form glyphs have no Unicode mapping there)
        font = self.font()
        font.setFamilies(["Noto Sans CJK SC", *font.families()])
        self.setFont(font)
        self._session = session
        self._threaded = threaded
        self._worker: WorkerThread | None = None
        self._select_unit: Any = None
        self._generation = 0
        self.data: Any = None
        self.kind = QComboBox()
        self.period = QComboBox()
        self.period.setEditable(True)
        self.period.setMinimumContentsLength(10)
        self.by = QComboBox()
        for key in UNIT_KINDS:
            self.by.addItem("", key)
        self.refresh_button = QPushButton()
        self.export_button = QPushButton()
        self.report_button = QPushButton()
        self.print_button = QPushButton()
        self.map_switch = QCheckBox()
        self._report_worker: WorkerThread | None = None
        self.status = QLabel()
        top = QHBoxLayout()
        self.period_label, self.by_label = QLabel(), QLabel()
        for w in (self.period_label, self.kind, self.period, self.by_label, self.by,
                  self.refresh_button, self.export_button, self.report_button,
                  self.print_button, self.map_switch):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.status)
        self.cards: dict[str, tuple[QLabel, QLabel]] = {}
        cards = QHBoxLayout()
        for code in KEY_FIGURES:
            box = QFrame()
            box.setFrameShape(QFrame.Shape.StyledPanel)
            lay = QVBoxLayout(box)
            title, value = QLabel(), QLabel("—")
            value.setStyleSheet("font-size: 20px; font-weight: bold;")
            lay.addWidget(title)
            lay.addWidget(value)
            cards.addWidget(box)
            self.cards[code] = (title, value)
        self.model = KpiTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self._user_sorted = False
        self.table.horizontalHeader().sectionClicked.connect(
            lambda _s: setattr(self, "_user_sorted", True))
        self.table.setAlternatingRowColors(True)
        # no row numbers, one row height: drawing asks the model less per row
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive)
        # size the columns from the first rows: measuring 5,000 grids' cells
        # took seconds on the GUI thread
        self.table.horizontalHeader().setResizeContentsPrecision(_SIZE_FROM_ROWS)
        self.table.doubleClicked.connect(self._on_double_clicked)
        self.flags = QListWidget()
        self.formulas_model = RowsTableModel([("", lambda r: r[0]), ("", lambda r: r[1]),
                                              ("", lambda r: r[2]), ("", lambda r: r[3])],
                                             self)
        self.formulas = QTableView()
        self.formulas.setModel(self.formulas_model)
        self.formulas.horizontalHeader().setStretchLastSection(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "")
        self.tabs.addTab(self.flags, "")
        self.tabs.addTab(self.formulas, "")
        self.trend = ChartPanel()
        self.bars = ChartPanel()
        self.heat = HeatMapView()
        charts = QSplitter(Qt.Orientation.Vertical)
        charts.addWidget(self.trend)
        charts.addWidget(self.bars)
        charts.addWidget(self.heat)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tabs)
        split.addWidget(charts)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([800, 540])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(cards)
        layout.addWidget(split, 1)
        self.kind.currentIndexChanged.connect(self._fill_periods)
        self.period.activated.connect(lambda _i: self.refresh())
        self.by.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export_excel)
        self.report_button.clicked.connect(lambda: self.export_report())
        self.print_button.clicked.connect(lambda: self.export_pdf())
        self.map_switch.toggled.connect(self._on_map_switch)
        for k in _PERIOD_KINDS:
            self.kind.addItem("", k)
        self.retranslate()

    # ------------------------------------------------------------ texts
    def retranslate(self) -> None:
        names = {"month": self.tr("Month"), "quarter": self.tr("Quarter"),
                 "year": self.tr("Year"), "week": self.tr("Week")}
        for i in range(self.kind.count()):
            self.kind.setItemText(i, names[self.kind.itemData(i)])
        for i in range(self.by.count()):
            zh, en = UNIT_KINDS[self.by.itemData(i)]
            self.by.setItemText(i, i18n.pick(zh, en))
        self.period_label.setText(self.tr("Period:"))
        self.by_label.setText(self.tr("By:"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.export_button.setText(self.tr("Export Excel…"))
        self.report_button.setText(self.tr("Monthly report PDF…"))
        self.print_button.setText(self.tr("Print / PDF…"))
        self.print_button.setToolTip(self.tr(
            "Write the dashboard as shown to an A4 landscape PDF"))
        self.map_switch.setText(self.tr("Colour map by warning"))
        self.map_switch.setToolTip(self.tr(
            "Fill grids and outline communities on the map in the colour of their "
            "worst warning level in the period shown"))
        self.tabs.setTabText(0, self.tr("Figures"))
        self.tabs.setTabText(1, self.tr("Warnings"))
        self.tabs.setTabText(2, self.tr("Formulas"))
        self.formulas_model.set_titles([self.tr("Indicator"), self.tr("Formula"),
                                        self.tr("Red / yellow"), self.tr("Meaning")])
        if self.data is not None:
            self._show(self.data)

    def _fill_periods(self) -> None:
        kind = self.kind.currentData() or "month"
        current = P.current(kind)
        self.period.blockSignals(True)
        self.period.clear()
        for p in reversed(P.last_periods(current, 12)):
            self.period.addItem(p.label)
        self.period.blockSignals(False)

    def set_period(self, text: str, by: str | None = None) -> None:
        self.period.setEditText(text)
        if by is not None:
            self.by.blockSignals(True)
            self.by.setCurrentIndex(self.by.findData(by))
            self.by.blockSignals(False)

    def show_target(self, period: str, by: str = "grid", unit: Any = None,
                    tab: str = "figures") -> None:
        """Show *period* by *by* on the *tab* (``figures`` / ``warnings``) and, once
        the figures are in, select *unit*'s row (the leader's start view asks this)."""
        self.set_period(period, by)
        self.tabs.setCurrentIndex(1 if tab == "warnings" else 0)
        self._select_unit = unit
        self.refresh()

    def _select(self, unit: Any) -> None:
        for r in range(self.model.rowCount()):
            if str(self.model.rows[r]["unit"]) == str(unit):
                index = self.proxy.mapFromSource(self.model.index(r, 0))
                self.table.selectRow(index.row())
                self.table.scrollTo(index)
                return

    # ------------------------------------------------------------ work
    def refresh(self) -> None:
        session = self._session()
        if session is None:
            return
        text, by = self.period.currentText().strip(), self.by.currentData() or "grid"
        self._generation += 1
        gen = self._generation
        self.status.setText(self.tr("Computing…"))
        with_map = self.map_switch.isChecked()

        def job(progress: Any = None, cancel: Any = None) -> Any:
            data = dashboard_data(session, text, by, progress=progress, cancel=cancel,
                                  with_map=with_map)
            # the table's rows made here, not on the GUI thread
            return data, KpiTableModel.rows_of(data.table)

        if not self._threaded:
            try:
                self._apply(gen, job())
            except GridAppError as exc:
                self._fail(gen, exc)
            return
        if self._worker is not None:
            self._worker.cancel()
        worker = WorkerThread(job, self)
        worker.succeeded.connect(lambda data, g=gen: self._apply(g, data))
        worker.failed.connect(lambda exc, g=gen: self._fail(g, exc))
        worker.finished.connect(lambda w=worker: self._on_worker_finished(w))
        self._worker = worker
        worker.start()

    def _on_worker_finished(self, worker: WorkerThread) -> None:
        if self._worker is worker:
            self._worker = None  # never touch a deleted thread later (shutdown)
        worker.deleteLater()

    def shutdown(self) -> None:
        """Stop running work: the worker's reads check its cancel token while
        SQLite works, so this returns within milliseconds, and what it still
        sends is dropped (the generation moves on)."""
        if self._worker is not None:
            self._generation += 1
            self._worker.stop()
            self._worker = None
        if self._report_worker is not None:
            self._report_worker.stop()
            self._report_worker = None

    def clear(self) -> None:
        """Forget the figures of a closed workspace: running work is stopped and a
        late result is dropped (the generation moves on)."""
        self.shutdown()
        self._generation += 1
        self.data = None
        self.status.setText("")
        self.model.clear()
        for _title, value in self.cards.values():
            value.setText("—")
        self.flags.clear()
        self.formulas_model.clear()
        self.trend.clear()
        self.bars.clear()
        self.heat.clear()

    def _on_map_switch(self, on: bool) -> None:
        if not on:
            self.mapLevels.emit(None)
        elif self.data is not None and self.data.map_levels is not None:
            self.mapLevels.emit(self.data.map_levels)
        else:
            self.refresh()

    def _fail(self, gen: int, exc: BaseException) -> None:
        if gen != self._generation or isinstance(exc, Cancelled):
            return
        self.status.setText(str(exc))
        self.failed.emit(exc)

    def _apply(self, gen: int, result: Any) -> None:
        if gen != self._generation:
            return  # the user asked for something else meanwhile
        data, rows = result
        self.data = data
        slices = self._show_slices(data, rows)
        if self._threaded:
            # the table is drawn once filled and sized, not after every slice
            self.table.setUpdatesEnabled(False)
            self._next_slices(gen, slices)
        else:
            for _ in slices:
                pass
            self._shown(data)

    def _next_slices(self, gen: int, slices: Any) -> None:
        """Run slices for ~_SLICE_MS, then let the event loop turn and go on."""
        if gen != self._generation:
            self.table.setUpdatesEnabled(True)
            return  # superseded or cleared: the rest is not shown
        clock = QElapsedTimer()
        clock.start()
        for _ in slices:
            if clock.elapsed() >= _SLICE_MS:
                QTimer.singleShot(0, self, lambda: self._next_slices(gen, slices))
                return
        self.table.setUpdatesEnabled(True)
        self._shown(self.data)

    def _shown(self, data: Any) -> None:
        if self._select_unit is not None:
            self._select(self._select_unit)
            self._select_unit = None
        if self.map_switch.isChecked() and data.map_levels is not None:
            self.mapLevels.emit(data.map_levels)
        self.loaded.emit()

    def _show(self, data: Any) -> None:
        """All of *data* on screen at once."""
        for _ in self._show_slices(data, KpiTableModel.rows_of(data.table)):
            pass

    def _show_slices(self, data: Any, rows: list[dict[str, Any]]) -> Any:
        """Put *data* on screen, yielding between steps (a generator)."""
        table = data.table
        self.status.setText(table.note or data.period.label)
        zh, en = UNIT_KINDS[data.by]
        # the rows come in unit order: a proxy sorted on a column would sort them
        # again through Python data() inside the reset (5,000 grids: seconds); a
        # column the user sorted on is sorted again in a slice of its own
        header = self.table.horizontalHeader()
        chosen = (header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.proxy.sort(-1)
        self.model.set_table(table, data.levels, i18n.pick(zh, en), self.tr("Street total"),
                             rows=rows)
        yield
        if chosen[0] > 0 and self._user_sorted:
            self.proxy.sort(*chosen)
            yield
        for col in range(self.model.columnCount()):
            self.table.resizeColumnToContents(col)
            yield
        self.table.setUpdatesEnabled(True)  # drawn in a turn of its own
        yield
        inds = {i.code: i for i in table.indicators}
        for code, (title, value) in self.cards.items():
            ind = inds.get(code)
            title.setText(ind.name if ind else code)
            value.setText(format_value(table.total.get(code), ind.unit if ind else "count"))
        yield
        self.flags.clear()
        for i in range(0, len(data.flags), _FLAGS_PER_SLICE):
            for f in data.flags[i:i + _FLAGS_PER_SLICE]:
                item = QListWidgetItem(flag_text(f))
                item.setData(Qt.ItemDataRole.DecorationRole, _swatch(LEVELS[f.level][2]))
                self.flags.addItem(item)
            yield
        if not data.flags:
            self.flags.addItem(self.tr("No unit has stayed in red or yellow."))
        ths = {t.indicator: t for t in data.thresholds}
        self.formulas_model.set_rows([
            (i.name, i.formula,
             f"{ths[i.code].red:g} / {ths[i.code].yellow:g}" if i.code in ths else "",
             i.description) for i in table.indicators])
        yield
        labels = [lb for lb, _ in data.trend]
        pick = [(inds[c].name, [tot.get(c) for _, tot in data.trend])
                for c in ("close_rate", "on_time_rate", "satisfaction_rate") if c in inds]
        self.trend.show_lines(self.tr("Trend (street)"), labels, pick)
        yield
        deps = data.departments.frame
        cols = [(inds[c].name, deps[c].tolist()) for c in ("close_rate", "on_time_rate")
                if c in inds and c in deps]
        self.bars.show_bars(self.tr("By department"), deps["label"].astype(str).tolist(),
                            cols)
        yield
        self.heat.set_heat(getattr(data, "heat", None))

    # ------------------------------------------------------------ actions
    def _on_double_clicked(self, index: Any) -> None:
        if self.data is None:
            return
        src = self.proxy.mapToSource(index)
        if src.column() == 0:
            return
        ind = self.model.indicators[src.column() - 1]
        unit = self.model.data(src, UNIT_ROLE)
        label = self.model.rows[src.row()]["label"]
        dialog = CasesBehindDialog(self._session(), self.data.period, self.data.by, unit,
                                   ind, str(label), self)
        dialog.show()

    def export_excel(self) -> None:
        from gridapp.services.assessment.excel import export_xlsx

        session = self._session()
        if session is None:
            return
        text = self.period.currentText().strip()
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export Excel"),
                                              f"考核_{text}.xlsx", "Excel (*.xlsx)")
        if not path:
            return
        try:
            res = export_xlsx(session, text, path)
        except GridAppError as exc:
            self.failed.emit(exc)
            return
        self.status.setText(self.tr("Saved {path}").replace("{path}", str(res.path)))


    def export_report(self, path: str | None = None) -> None:
        """Write the 月度考核通报 of the period shown as a PDF (asks where unless *path*)."""
        from gridapp.printing.monthly_report import write_monthly_report
        from gridapp.services.assessment.monthly import monthly_report

        session = self._session()
        if session is None or self._report_worker is not None:
            return
        text = self.period.currentText().strip()
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Monthly report PDF"),
                                                  f"考核通报_{text}.pdf", "PDF (*.pdf)")
        if not path:
            return

        def job(progress: Any = None, cancel: Any = None) -> Any:
            return write_monthly_report(monthly_report(session, text), path)

        if not self._threaded:
            try:
                self._report_saved(job())
            except GridAppError as exc:
                self.failed.emit(exc)
            return
        worker = WorkerThread(job, self)
        worker.succeeded.connect(self._report_saved)
        worker.failed.connect(self.failed.emit)
        worker.finished.connect(lambda w=worker: self._on_report_finished(w))
        self._report_worker = worker
        self.status.setText(self.tr("Computing…"))
        worker.start()

    def export_pdf(self, path: str | None = None) -> str | None:
        """Write the dashboard as on screen to an A4 landscape PDF (asks where unless
        *path*); returns the path written, None when cancelled or refused."""
        if self.data is None:
            self.status.setText(self.tr("Nothing to print yet: pick a period first"))
            return None
        label = self.data.period.label
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Print / PDF"),
                                                  f"考核看板_{label}.pdf", "PDF (*.pdf)")
        if not path:
            return None
        from gridapp.qt.assessment.printing import write_dashboard_pdf

        try:
            out = write_dashboard_pdf(self, path, self.tr("Assessment dashboard {p}").replace(
                "{p}", label))
        except GridAppError as exc:
            self.status.setText(str(exc))
            self.failed.emit(exc)
            return None
        self.status.setText(self.tr("Saved {path}").replace("{path}", str(out)))
        return str(out)

    def _report_saved(self, path: Any) -> None:
        self.status.setText(self.tr("Saved {path}").replace("{path}", str(path)))
        self.reportSaved.emit(str(path))

    def _on_report_finished(self, worker: WorkerThread) -> None:
        if self._report_worker is worker:
            self._report_worker = None
        worker.deleteLater()


@functools.cache
def _swatch(colour: str) -> Any:
    from PySide6.QtGui import QColor, QPixmap

    pm = QPixmap(12, 12)
    pm.fill(QColor(colour))
    return pm
