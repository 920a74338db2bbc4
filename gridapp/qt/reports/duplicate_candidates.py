"""Near-duplicate candidates beside the new report: photos, why they match, one-click merge.

Shown by :class:`~gridapp.qt.reports.report_dialog.ReportDialog` when the live
check finds open cases of the same category within the category's radius and
window (:func:`gridapp.services.cases.placement.ranked_duplicates`), best
first.  The new report's first photo stands on the left, each candidate's
first photo beside its case number, distance, age, match score and
description; "合并到此案件" files the new report as a child of that case in
one click (:attr:`DuplicateCandidatesView.merge_requested`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridAppError
from gridapp.services.cases import photos as photo_service
from gridapp.services.cases.placement import DuplicateCandidate
from gridapp.services.session import Session

from .common import WARNING_STYLE, local_time, thumbnail

THUMB = 72
#: Height of the candidate list: two candidates, the rest scroll.
LIST_HEIGHT = 2 * (THUMB + 14)


class DuplicateCandidatesView(QWidget):
    """The new report's photo beside each candidate's, with a merge button each.

    Signals
    -------
    merge_requested(int)
        The candidate's report id: file the new report as its child.
    """

    merge_requested = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicateCandidates")
        self.session = session
        self.candidates: list[DuplicateCandidate] = []
        self.merge_buttons: dict[int, QPushButton] = {}
        self.photo_labels: dict[int, QLabel] = {}
        self.title = QLabel(self)
        self.title.setStyleSheet(WARNING_STYLE)
        self.title.setWordWrap(True)
        self.new_photo = QLabel(self)
        self.new_photo.setObjectName("newReportPhoto")
        self.new_photo.setFixedSize(THUMB + 8, THUMB + 8)
        self.new_photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.new_photo.setFrameShape(QFrame.Shape.StyledPanel)
        self.new_caption = QLabel(self)
        self.new_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        left = QVBoxLayout()
        left.addWidget(self.new_photo)
        left.addWidget(self.new_caption)
        left.addStretch(1)
        self.rows_host = QWidget(self)
        self.rows = QVBoxLayout(self.rows_host)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.rows_host)
        self.scroll.setMaximumHeight(LIST_HEIGHT)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addWidget(self.scroll, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(body)
        self.retranslate()
        self.setVisible(False)

    def retranslate(self) -> None:
        self.new_caption.setText(self.tr("This report"))

    def set_candidates(self, candidates: Sequence[DuplicateCandidate],
                       new_photos: Sequence[bytes] = (), at: datetime | None = None) -> None:
        """Show *candidates* (best first) beside the new report's first photo."""
        self.candidates = list(candidates)
        while self.rows.count():
            item = self.rows.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.merge_buttons.clear()
        self.photo_labels.clear()
        self.setVisible(bool(self.candidates))
        if not self.candidates:
            return
        self.title.setText(self.tr(
            "{n} open case(s) of this category nearby may be the same problem. "
            "Compare the photos; merge with one click, or file it as a new case.").format(
                n=len(self.candidates)))
        pm = thumbnail(new_photos[0], THUMB) if new_photos else None
        if pm is not None and not pm.isNull():
            self.new_photo.setPixmap(pm)
        else:
            self.new_photo.clear()
            self.new_photo.setText(self.tr("No photo"))
        for c in self.candidates:
            self.rows.addWidget(self._row(c, at))
        self.rows.addStretch(1)

    def _row(self, c: DuplicateCandidate, at: datetime | None) -> QWidget:
        row = QFrame(self.rows_host)
        row.setObjectName(f"candidate_{c.report_id}")
        row.setFrameShape(QFrame.Shape.StyledPanel)
        photo = QLabel(row)
        photo.setFixedSize(THUMB + 4, THUMB + 4)
        photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        data = self._first_photo(c.report_id)
        pm = thumbnail(data, THUMB) if data else None
        if pm is not None and not pm.isNull():
            photo.setPixmap(pm)
        else:
            photo.setText(self.tr("No photo"))
        self.photo_labels[c.report_id] = photo
        age = ""
        if at is not None:
            hours = max((at - c.reported_at).total_seconds() / 3600, 0)
            age = (self.tr("{h} h earlier").format(h=round(hours)) if hours < 48
                   else self.tr("{d} days earlier").format(d=round(hours / 24)))
        text = QLabel(row)
        text.setWordWrap(True)
        text.setText(self.tr(
            "<b>{no}</b> · {status} · about {d} m · {age} · match {score}%<br>{desc}").format(
                no=c.case_no, status=c.status.label, d=round(c.distance_m),
                age=age or local_time(c.reported_at), score=round(c.score * 100),
                desc=_escape(c.description[:80]) or "—"))
        button = QPushButton(self.tr("Merge into this case"), row)
        button.setObjectName(f"merge_{c.report_id}")
        button.setToolTip(self.tr("File this report as part of case {no} instead of a new case")
                          .format(no=c.case_no))
        button.clicked.connect(lambda _=False, rid=c.report_id: self.merge_requested.emit(rid))
        self.merge_buttons[c.report_id] = button
        lay = QHBoxLayout(row)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.addWidget(photo)
        lay.addWidget(text, 1)
        lay.addWidget(button)
        return row

    def _first_photo(self, report_id: int) -> bytes:
        try:
            pics = photo_service.report_photos(self.session, report_id)
            return photo_service.photo_data(self.session, int(pics[0]["id"])) if pics else b""
        except GridAppError:
            return b""  # a case the user may not open: no photo, still offered


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
