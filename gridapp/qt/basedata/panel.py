"""The 居民与楼栋 (base data) panel: a grid's buildings, and a building's residents.

The grid list holds the grids the user may pick (a grid manager: their own
grids; other roles: every current grid).  Choosing a building lists its
residents exactly as :func:`gridapp.services.basedata.residents.list_residents`
returns them: a grid manager sees their own grid's residents in full, the
leader sees masked values (张*, 520***********1234, 138****5678) and no
notes; a line under the table says which.  The category list filters the
residents shown (and the buildings to those with such residents).

A grid's buildings and residents are read on a worker (issue 21: the
services read every building of the workspace, seconds for a district, and
the window must not freeze meanwhile); one read runs at a time, a newer
request reads once more when it ends, and :attr:`BaseDataPanel.loaded` says
when the tables show the chosen grid.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridAppError
from gridapp.qt.error_text import error_text
from gridapp.qt.worker import WorkerThread

CONTEXT = "BaseData"
BUILDING_HEADERS = ("Building", "Households", "Population")  # the address: a tooltip
RESIDENT_HEADERS = ("Name", "ID number", "Phone", "Door", "Categories", "Age", "Notes")


translate = QCoreApplication.translate


def _item(value: Any, *, number: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem("" if value is None else str(value))
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    return table


class BaseDataPanel(QWidget):
    """Buildings of the chosen grid (households, population) and the chosen building's
    residents, filtered by category."""

    failed = Signal(str)  # a service refused or failed: the message, in the UI language
    drawRequested = Signal()  # 绘制楼栋: the feature switches the map to the building tool
    loaded = Signal()  # the tables show the chosen grid (its read ended)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("baseDataPanel")
        self.session: Any = None
        self.buildings: list[Any] = []
        self.residents: list[Any] = []
        self.categories: list[tuple[str, str]] = []
        self._all_residents: list[Any] = []
        self._grid_residents: dict[int, set[str]] = {}
        self._worker: WorkerThread | None = None
        self._read_again = False
        self._wanted: tuple[Any, int | None] = (None, None)  # (session, grid) to show
        self.grid_combo = QComboBox()
        self.grid_combo.setObjectName("baseDataGrid")
        self.category_combo = QComboBox()
        self.category_combo.setObjectName("baseDataCategory")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.building_table = _table(len(BUILDING_HEADERS))
        header = self.building_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.resident_table = _table(len(RESIDENT_HEADERS))
        self.privacy = QLabel()
        self.privacy.setWordWrap(True)
        self.privacy.setObjectName("baseDataPrivacy")
        self.grid_label, self.category_label = QLabel(), QLabel()

        form = QFormLayout()
        form.addRow(self.grid_label, self.grid_combo)
        form.addRow(self.category_label, self.category_combo)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.privacy)
        lower_layout.addWidget(self.resident_table)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.building_table)
        split.addWidget(lower)
        self.edit_buildings_button = QPushButton()
        self.edit_buildings_button.setObjectName("baseDataEditBuildings")
        self.edit_buildings_button.clicked.connect(self.open_building_editor)
        self.edit_categories_button = QPushButton()
        self.edit_categories_button.setObjectName("baseDataEditCategories")
        self.edit_categories_button.clicked.connect(self.open_category_editor)
        self.draw_building_button = QPushButton()
        self.draw_building_button.setObjectName("baseDataDrawBuilding")
        self.draw_building_button.clicked.connect(self.drawRequested)
        self.editor: Any = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.draw_building_button)
        buttons.addWidget(self.edit_buildings_button)
        buttons.addWidget(self.edit_categories_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

        self.grid_combo.currentIndexChanged.connect(lambda _i: self.load_grid())
        self.category_combo.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.building_table.itemSelectionChanged.connect(self._building_chosen)
        self.retranslate()

    # ------------------------------------------------------------ session
    def set_session(self, session: Any, grid_id: int | None = None) -> None:
        """Follow the window's session (``None``: empty panel), showing *grid_id*
        if given and offered (else the first grid)."""
        from gridapp.services.basedata.buildings import (
            current_grid_choices,
            resident_categories,
        )
        from gridapp.services.session import own_grid_ids

        self.session = session
        self.grid_combo.blockSignals(True)
        self.category_combo.blockSignals(True)
        self.grid_combo.clear()
        self.category_combo.clear()
        self.category_combo.addItem(translate("BaseData", "All categories"), None)
        self.categories = []
        try:
            if session is not None:
                own = own_grid_ids(session)
                for g in current_grid_choices(session):
                    if own is None or g.id in own:
                        self.grid_combo.addItem(f"{g.code} {g.name or ''}".strip(), g.id)
                self.categories = resident_categories(session)
        except GridAppError as exc:
            self.failed.emit(str(exc))
        for code, name in self.categories:
            self.category_combo.addItem(name, code)
        if grid_id is not None and self.grid_combo.findData(grid_id) >= 0:
            self.grid_combo.setCurrentIndex(self.grid_combo.findData(grid_id))
        self.grid_combo.blockSignals(False)
        self.category_combo.blockSignals(False)
        can = session is not None
        self.edit_buildings_button.setVisible(can and session.can("building.edit"))
        self.draw_building_button.setVisible(can and session.can("building.edit"))
        self.edit_categories_button.setVisible(can and session.can("category.edit"))
        self.load_grid()

    def show_grid(self, grid_id: int) -> bool:
        """Choose *grid_id* if the user may pick it (a map selection); whether it was."""
        index = self.grid_combo.findData(grid_id)
        if index < 0:
            return False
        self.grid_combo.setCurrentIndex(index)
        return True

    def current_grid_id(self) -> int | None:
        data = self.grid_combo.currentData()
        return None if data is None else int(data)

    # ------------------------------------------------------------ loading
    def load_grid(self) -> None:
        """Read the chosen grid's buildings (counts) and residents (masked per role)
        on a worker; the tables follow when it answers (:attr:`loaded`)."""
        grid_id = self.current_grid_id()
        self._wanted = (self.session, grid_id)
        if self.session is None or grid_id is None:
            self.buildings, self._all_residents = [], []
            self._apply_filter()
            if self._worker is None:
                self.loaded.emit()
            return
        if self._worker is not None:
            self._read_again = True  # read the newest choice when this read ends
            return
        self._start_read(self.session, grid_id)

    def _start_read(self, session: Any, grid_id: int) -> None:
        from gridapp.services.basedata.buildings import grid_buildings
        from gridapp.services.basedata.residents import list_residents

        def work(progress: Any, cancel: Any) -> tuple[list[Any], list[Any]]:
            return (grid_buildings(session, grid_id),
                    list_residents(session, grid_id=grid_id))

        self.summary.setText(translate("BaseData", "Reading the grid's buildings…"))
        worker = self._worker = WorkerThread(work, self)
        worker.succeeded.connect(
            lambda rows, w=worker, key=(session, grid_id): self._on_read(w, key, rows))
        worker.failed.connect(lambda exc, w=worker: self._on_read_failed(w, exc))
        worker.finished.connect(lambda w=worker: self._on_read_finished(w))
        worker.start()

    def _on_read(self, worker: WorkerThread, key: tuple[Any, int], rows: Any) -> None:
        if worker is not self._worker or self._read_again or key != self._wanted:
            return  # stale: another grid or session was chosen meanwhile
        self.buildings, self._all_residents = rows
        self._apply_filter()

    def _on_read_failed(self, worker: WorkerThread, exc: BaseException) -> None:
        if worker is self._worker and not self._read_again:
            self.buildings, self._all_residents = [], []
            self._apply_filter()
            self.failed.emit(error_text(exc))

    def _on_read_finished(self, worker: WorkerThread) -> None:
        if worker is not self._worker:
            return
        self._worker = None
        worker.deleteLater()
        again, self._read_again = self._read_again, False
        session, grid_id = self._wanted
        if again and session is not None and session is self.session and grid_id is not None:
            self._start_read(session, grid_id)
            return
        if again:  # the panel was emptied meanwhile
            self.buildings, self._all_residents = [], []
            self._apply_filter()
        self.loaded.emit()

    def is_loading(self) -> bool:
        """A read of the chosen grid is under way (tests wait for :attr:`loaded`)."""
        return self._worker is not None

    def stop(self) -> None:
        """End a running read (the workspace closes); its answer is dropped."""
        if self._worker is not None:
            self._worker.stop()
            self._worker.deleteLater()
            self._worker = None
        self._read_again = False

    def category_code(self) -> str | None:
        return self.category_combo.currentData()

    def _apply_filter(self) -> None:
        code = self.category_code()
        wanted = [r for r in self._all_residents if code is None or code in r.categories]
        with_wanted = {r.building_id for r in wanted}
        shown = [b for b in self.buildings if code is None or b.id in with_wanted]
        selected = self.current_building_id()
        table = self.building_table
        table.blockSignals(True)
        table.setRowCount(len(shown))
        for row, b in enumerate(shown):
            name = _item(b.name or f"#{b.id}")
            name.setData(Qt.ItemDataRole.UserRole, b.id)
            name.setToolTip(b.address or "")
            table.setItem(row, 0, name)
            table.setItem(row, 1, _item(b.households, number=True))
            table.setItem(row, 2, _item(b.population, number=True))
        table.blockSignals(False)
        self.shown_buildings = shown
        self.summary.setText(translate("BaseData",
            "{buildings} buildings, {households} households, {people} residents listed")
            .format(buildings=len(self.buildings),
                    households=sum(b.households for b in self.buildings),
                    people=sum(b.population for b in self.buildings)))
        ids = [b.id for b in shown]
        if selected in ids:
            self.select_building(selected)
        elif ids:
            first_with_people = next((b.id for b in shown if b.population), ids[0])
            self.select_building(first_with_people)
        else:
            self._show_residents(None)

    def current_building_id(self) -> int | None:
        rows = self.building_table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.building_table.item(rows[0].row(), 0)
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def select_building(self, building_id: int) -> bool:
        for row in range(self.building_table.rowCount()):
            item = self.building_table.item(row, 0)
            if int(item.data(Qt.ItemDataRole.UserRole)) == building_id:
                self.building_table.selectRow(row)
                self._show_residents(building_id)
                return True
        return False

    def _building_chosen(self) -> None:
        self._show_residents(self.current_building_id())

    def _show_residents(self, building_id: int | None) -> None:
        code = self.category_code()
        names = dict(self.categories)
        self.residents = [r for r in self._all_residents
                          if building_id is not None and r.building_id == building_id
                          and (code is None or code in r.categories)]
        table = self.resident_table
        table.setRowCount(len(self.residents))
        for row, r in enumerate(self.residents):
            values = (r.name, r.id_number, r.phone, r.door,
                      "、".join(names.get(c, c) for c in r.categories),
                      r.age, r.notes)
            for col, value in enumerate(values):
                table.setItem(row, col, _item(value, number=col == 5))
        masked = any(r.masked for r in self.residents)
        if not self.residents:
            self.privacy.setText(translate("BaseData", "No residents listed in this building.")
                                 if building_id is not None else "")
        elif masked:
            self.privacy.setText(translate("BaseData",
                "Names, ID numbers and phone numbers are masked for your role; "
                "notes are not shown."))
        else:
            self.privacy.setText(translate("BaseData",
                "Shown in full: this view is recorded in the audit log."))

    # ------------------------------------------------------------ language
    # ------------------------------------------------------------ editors
    def open_building_editor(self) -> Any:
        """The chosen grid's buildings with an attribute form (saved, audited, undo)."""
        from gridapp.qt.basedata.building_editor import BuildingEditor

        grid_id = self.current_grid_id()
        if self.session is None or grid_id is None:
            return None
        self.editor = BuildingEditor(self.session, grid_id, self)
        self.editor.changed.connect(self.load_grid)
        self.editor.show()
        return self.editor

    def open_category_editor(self) -> Any:
        """The resident categories (rename, retire, add; audited, undo)."""
        from gridapp.qt.basedata.category_editor import ResidentCategoryEditor

        if self.session is None:
            return None
        self.editor = ResidentCategoryEditor(self.session, self)
        self.editor.changed.connect(lambda: self.set_session(self.session))
        self.editor.show()
        return self.editor

    def retranslate(self) -> None:
        self.draw_building_button.setText(translate("BaseData", "Draw building"))
        self.draw_building_button.setToolTip(translate(
            "BaseData", "Click the corners on the map; click the first corner or right-click"
            " to finish, Esc cancels"))
        self.edit_buildings_button.setText(translate("BaseData", "Edit buildings…"))
        self.edit_categories_button.setText(translate("BaseData", "Resident categories…"))
        self.grid_label.setText(translate("BaseData", "Grid"))
        self.category_label.setText(translate("BaseData", "Category"))
        self.building_table.setHorizontalHeaderLabels(
            [translate(CONTEXT, h) for h in BUILDING_HEADERS])
        self.resident_table.setHorizontalHeaderLabels(
            [translate(CONTEXT, h) for h in RESIDENT_HEADERS])
        if self.category_combo.count():
            self.category_combo.setItemText(0, translate("BaseData", "All categories"))
        if self.session is not None:
            self._apply_filter()

