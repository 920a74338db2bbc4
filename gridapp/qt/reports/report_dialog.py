"""The report form: position, category, description, urgency, photos; live check."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gridapp.domain import coords
from gridapp.domain.enums import Urgency
from gridapp.domain.timeutil import now_utc
from gridapp.errors import GridAppError
from gridapp.qt.error_text import error_text
from gridapp.qt.fit import FittedDialog
from gridapp.qt.reports.category_keys import CategorySearchKeys
from gridapp.services.cases import reports
from gridapp.services.cases.photos import PreparedPhoto, read_photo
from gridapp.services.cases.reports import FiledReport, ReportCheck, ReportDraft
from gridapp.services.session import Session

from .common import (
    ERROR_STYLE,
    OK_STYLE,
    WARNING_STYLE,
    local_time,
    thumbnail,
)
from .duplicate_candidates import DuplicateCandidatesView

#: Input coordinate systems offered, as (service key, label) pairs.
CRS_CHOICES = (
    ("cgcs2000", "CGCS2000"),
    ("wgs84", "WGS84 (GPS)"),
    ("gcj02", "GCJ-02"),
    ("bd09", "BD-09"),
)
CHECK_DELAY_MS = 250
IMAGE_FILTER = "*.jpg *.jpeg *.png *.heic *.heif *.tif *.tiff *.webp"


class ReportDialog(FittedDialog):
    """File one report (巡查上报).

    Parameters
    ----------
    session : Session
        The logged-in user; their role and grids decide what may be filed.
    lon, lat : float, optional
        A position clicked on the map, in *crs* (CGCS2000 for the canvas).
    crs : str
        ``cgcs2000``, ``wgs84``, ``gcj02`` or ``bd09``.
    photos : sequence of PreparedPhoto
        Photos already read (a photo dropped on the map).
    reported_at : datetime, optional
        When it was found (a photo's EXIF time); default: when filed.

    Signals
    -------
    report_filed(int, str)
        The new report's id and case number, after it was written.
    """

    report_filed = Signal(int, str)

    def __init__(
        self,
        session: Session,
        lon: float | None = None,
        lat: float | None = None,
        *,
        crs: str = "cgcs2000",
        photos: Sequence[PreparedPhoto] = (),
        reported_at: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.photos: list[PreparedPhoto] = []
        self.reported_at = reported_at
        self.last_check: ReportCheck | None = None
        self.last_error: GridAppError | None = None
        self.filed: FiledReport | None = None
        self.merge_target: int | None = None
        self._shown_duplicates: Any = None
        self.setWindowTitle(self.tr("File a report"))
        self.setMinimumWidth(560)

        self._timer = QTimer(self)
        self._timer.setObjectName("report_check_timer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check_now)

        form = QFormLayout()
        self.position_edit = QLineEdit()
        self.position_edit.setPlaceholderText(
            self.tr(
                "e.g. 106.7079, 26.5722 or 26°34'19\"N 106°42'28\"E or a phone map link"
            )
        )
        self.crs_combo = QComboBox()
        for key, label in CRS_CHOICES:
            self.crs_combo.addItem(self._crs_label(key, label), key)
        row = QHBoxLayout()
        row.addWidget(self.position_edit, 1)
        row.addWidget(self.crs_combo)
        form.addRow(self.tr("Position"), row)

        self.grid_label = QLabel()
        self.community_label = QLabel()
        self.address_edit = QLineEdit()
        form.addRow(self.tr("Grid"), self.grid_label)
        form.addRow(self.tr("Community"), self.community_label)
        form.addRow(self.tr("Address"), self.address_edit)

        self.category_search = QLineEdit()
        self.category_search.setPlaceholderText(
            self.tr("Search by name, code or pinyin initials (e.g. zd)")
        )
        self.category_list = QListWidget()
        self.category_list.setMaximumHeight(130)
        cat_box = QVBoxLayout()
        cat_box.addWidget(self.category_search)
        cat_box.addWidget(self.category_list)
        form.addRow(self.tr("Category"), cat_box)

        self.description_edit = QPlainTextEdit()
        self.description_edit.setMaximumHeight(80)
        form.addRow(self.tr("Description"), self.description_edit)

        self.urgency_combo = QComboBox()
        for u in Urgency:
            self.urgency_combo.addItem(u.label, u.value)
        form.addRow(self.tr("Urgency"), self.urgency_combo)

        self.time_label = QLabel()
        if reported_at is not None:
            form.addRow(self.tr("Found at"), self.time_label)
            self.time_label.setText(local_time(reported_at))

        self.photo_list = QListWidget()
        self.photo_list.setViewMode(QListView.ViewMode.IconMode)
        self.photo_list.setIconSize(QSize(80, 80))
        self.photo_list.setMaximumHeight(110)
        self.photo_list.setMovement(QListView.Movement.Static)
        self.add_photos_button = QPushButton(self.tr("Add photos…"))
        photo_box = QVBoxLayout()
        photo_box.addWidget(self.photo_list)
        photo_box.addWidget(self.add_photos_button, 0, Qt.AlignmentFlag.AlignLeft)
        form.addRow(self.tr("Photos"), photo_box)

        # near duplicates: their photos beside this one, merge in one click
        self.duplicates_view = DuplicateCandidatesView(session, self)
        self.duplicates_view.merge_requested.connect(self.merge_into)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("File report"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("Cancel")
        )

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.duplicates_view)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.position_edit.textChanged.connect(self._schedule_check)
        self.crs_combo.currentIndexChanged.connect(self._schedule_check)
        self.category_search.textChanged.connect(self._on_category_search_changed)
        self.category_list.currentItemChanged.connect(self._schedule_check)
        self.description_edit.textChanged.connect(self._schedule_check)  # words rank duplicates
        self.add_photos_button.clicked.connect(self._on_add_photos_clicked)
        self.category_keys = CategorySearchKeys(  # Enter picks a category, never files
            self.category_search, self.category_list, self.description_edit, self.buttons)

        self._on_category_search_changed("")
        if lon is not None and lat is not None:
            self.set_position(lon, lat, crs)
        else:
            self.set_crs(crs)
        self.add_photos(photos)
        self.check_now()

    # -- public API ------------------------------------------------------------
    def set_position(self, lon: float, lat: float, crs: str = "cgcs2000") -> None:
        """Put a position (a map click, a photo's GPS) in the form."""
        self.set_crs(crs)
        self.position_edit.setText(f"{lon:.7f}, {lat:.7f}")

    def set_crs(self, crs: str) -> None:
        i = self.crs_combo.findData(crs.lower().replace("-", ""))
        if i >= 0:
            self.crs_combo.setCurrentIndex(i)

    def set_category(self, category: int | str) -> bool:
        """Select a category by id, or by code or name; True if found."""
        for i in range(self.category_list.count()):
            item = self.category_list.item(i)
            d = item.data(Qt.ItemDataRole.UserRole + 1)
            if category in (d["id"], d["code"], d["name"]):
                self.category_list.setCurrentItem(item)
                return True
        return False

    def category_id(self) -> int | None:
        item = self.category_list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def add_photos(self, photos: Sequence[PreparedPhoto]) -> None:
        for p in photos:
            self.photos.append(p)
            item = QListWidgetItem(QIcon(thumbnail(p.data, 80)), p.filename)
            item.setToolTip("\n".join([p.filename, *p.warnings]))
            self.photo_list.addItem(item)
        if photos:
            self._schedule_check()  # the duplicates view shows the first photo

    def add_photo_files(self, paths: Sequence[str | Path]) -> list[str]:
        """Read photo files into the form; returns the refusal messages."""
        refused = []
        read = []
        for path in paths:
            try:
                read.append(read_photo(path))
            except GridAppError as exc:
                refused.append(exc.message)
        self.add_photos(read)
        if refused:
            self._show(ERROR_STYLE, "\n".join(refused))
        return refused

    def draft(self) -> ReportDraft:
        """The form's content as a draft (category may be None if none chosen)."""
        parent_id = self.merge_target
        return ReportDraft(
            category=self.category_id(),  # type: ignore[arg-type]
            position_text=self.position_edit.text().strip() or None,
            crs=self.crs_combo.currentData(),
            description=self.description_edit.toPlainText(),
            urgency=self.urgency_combo.currentData(),
            reported_at=self.reported_at,
            address=self.address_edit.text().strip() or None,
            parent_id=parent_id,
        )

    def check_now(self) -> ReportCheck | None:
        """Run the check at once: placement, scope, category, duplicates."""
        self._timer.stop()
        self.last_check, self.last_error = None, None
        draft = self.draft()
        try:
            self.session.require("report.file")
            if draft.position_text is None:
                self._placement(None)
                self._show(WARNING_STYLE, self.tr("Click the map or enter a position."))
                return None
            lon, lat = draft.storage_position()
            placement = reports.locate(self.session, lon, lat)
            self._placement(placement)
            reports.check_grid_scope(self.session, placement.grid_id)
            if draft.category is None:
                self._show(WARNING_STYLE, self.tr("Choose a category."))
                return None
            check = reports.check_report(self.session, draft)
        except GridAppError as exc:
            self.last_error = exc
            self._show(ERROR_STYLE, error_text(exc))
            return None
        self.last_check = check
        self._duplicates(check)
        moved = self._shift(draft, lon, lat)
        self._show(
            OK_STYLE,
            "\n".join([self.tr("Ready to file."), *([moved] if moved else [])]),
        )
        return check

    def _shift(self, draft: ReportDraft, lon: float, lat: float) -> str:
        """How far a GCJ-02/BD-09 position moved (chosen or read from a link)."""
        if not draft.position_text:
            return ""
        try:
            parsed = coords.parse_position(draft.position_text)
        except GridAppError:
            return ""
        source = draft.crs if draft.crs != "cgcs2000" else parsed.crs_hint
        if source not in ("gcj02", "bd09"):
            return ""
        return coords.shift_summary(source, parsed.lon, parsed.lat, lon, lat).message

    def accept(self) -> None:
        """File the report; on refusal show why and stay open."""
        draft = self.draft()
        if draft.category is None:
            self._show(ERROR_STYLE, self.tr("Choose a category."))
            return
        try:
            filed = reports.file_report(self.session, draft, photos=self.photos)
        except GridAppError as exc:
            self.last_error = exc
            self._show(ERROR_STYLE, error_text(exc))
            self.ok_button.setEnabled(False)
            return
        self.filed = filed
        self.report_filed.emit(filed.report_id, filed.case_no)
        super().accept()

    def merge_into(self, report_id: int) -> bool:
        """File the report as part of the open case *report_id* (one click); True when filed."""
        self.merge_target = int(report_id)
        self.accept()
        if self.filed is None:
            self.merge_target = None
            return False
        return True

    def done(self, result: int) -> None:
        self._timer.stop()
        super().done(result)

    # -- internals ---------------------------------------------------------------
    def _crs_label(self, key: str, label: str) -> str:
        if key == "gcj02":
            return self.tr("GCJ-02 (AMap, Tencent)")
        if key == "bd09":
            return self.tr("BD-09 (Baidu)")
        return label

    def _schedule_check(self, *_: Any) -> None:
        self._timer.start()

    def _show(self, style: str, text: str) -> None:
        self.message_label.setStyleSheet(style)
        self.message_label.setText(text)
        self.ok_button.setEnabled(style is OK_STYLE)

    def _placement(self, p: reports.Placement | None) -> None:
        self.grid_label.setText("" if p is None else f"{p.grid_code}  {p.grid_name}")
        self.community_label.setText("" if p is None else p.community_name)
        self.address_edit.setPlaceholderText("" if p is None else p.address_hint)
        if p is None or not self.last_check:
            self._shown_duplicates = None
            self.duplicates_view.set_candidates([])

    def _duplicates(self, check: ReportCheck) -> None:
        key = ([(c.report_id, c.score) for c in check.duplicates], len(self.photos))
        if key == self._shown_duplicates:
            return  # the same candidates: keep the view (and its photos) as it is
        self._shown_duplicates = key
        self.duplicates_view.set_candidates(
            check.duplicates, [p.data for p in self.photos],
            self.reported_at or now_utc())

    def _on_category_search_changed(self, text: str) -> None:
        current = self.category_id()
        self.category_list.blockSignals(True)
        self.category_list.clear()
        for row in reports.search_categories(self.session, text, limit=300):
            item = QListWidgetItem(
                f"{row['code']}  {row['name']}  · {row['class_name']}"
            )
            item.setData(Qt.ItemDataRole.UserRole, int(row["id"]))
            item.setData(Qt.ItemDataRole.UserRole + 1, row)
            self.category_list.addItem(item)
            if row["id"] == current:
                self.category_list.setCurrentItem(item)
        self.category_list.blockSignals(False)
        if text.strip() and self.category_list.count() == 1:
            self.category_list.setCurrentRow(0)
        self._schedule_check()

    def _on_add_photos_clicked(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Add photos"),
            "",
            self.tr("Images ({patterns})").format(patterns=IMAGE_FILTER),
        )
        if paths:
            self.add_photo_files(paths)
