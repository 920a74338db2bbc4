"""Filing reports from the map: the report form, imports and dropped photos.

A mixin of :class:`~gridapp.qt.cases.feature.CasesFeature`:

* the *File a report* tool's click opens the report form there (non-modal,
  several may be open);
* *Import reports* and *Import holiday schedule* open their dialogs and
  refresh the cases when they are done;
* photos dropped on the map become draft reports through the list dock's
  :class:`~gridapp.qt.reports.photo_drop_import.PhotoDropImport`; those
  without a GPS position are placed one by one with a click on the map.

Texts are translated in the feature's context (``CasesFeature``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt

from gridapp.domain.crs import to_storage
from gridapp.qt.holiday_schedule_dialog import HolidayScheduleDialog
from gridapp.qt.reports.report_dialog import ReportDialog
from gridapp.qt.reports.report_import_dialog import ReportImportDialog
from gridapp.services.workspace import map_setup


class CaseFiling:
    """Report form, imports and photo drops; mixed into ``CasesFeature``,
    which provides ``window``, ``session``, ``detail``, ``photo_drop``, the
    docks, ``refresh`` and ``_select_in_list``."""

    window: Any
    session: Any
    detail: Any
    photo_drop: Any
    list_dock: Any
    detail_dock: Any
    report_dialogs: list[ReportDialog]
    import_dialog: ReportImportDialog | None
    pending_photos: list[Any]
    refresh: Any
    ensure_widgets: Any
    _select_in_list: Any

    # ------------------------------------------------------------ the form
    def _storage_position(self, x: float, y: float) -> tuple[float, float]:
        epsg, _ = map_setup(self.session)
        lon, lat = to_storage(np.array([x]), np.array([y]), epsg)
        return float(lon[0]), float(lat[0])

    def _on_report_picked(self, x: float, y: float) -> None:
        if self.session is None:
            return
        lon, lat = self._storage_position(x, y)
        self.open_report_dialog(lon, lat)

    def open_report_dialog(self, lon: float, lat: float) -> ReportDialog:
        """The report form at a CGCS2000 position (non-modal)."""
        dlg = ReportDialog(self.session, lon, lat, crs="cgcs2000", parent=self.window)
        self.report_dialogs.append(dlg)
        dlg.report_filed.connect(self._on_report_filed)
        dlg.finished.connect(lambda _r, d=dlg: self._forget_dialog(d))
        dlg.open()
        return dlg

    def _forget_dialog(self, dlg: ReportDialog) -> None:
        if dlg in self.report_dialogs:
            self.report_dialogs.remove(dlg)
        dlg.deleteLater()

    def _on_report_filed(self, report_id: int, case_no: str) -> None:
        self.window.status.showMessage(
            QCoreApplication.translate("CasesFeature", "Report {no} filed.").format(
                no=case_no
            ),
            8000,
        )
        if self.ensure_widgets():
            self.detail.set_case(report_id)
            self.detail_dock.raise_()
        self.refresh()  # reads the layer again and highlights the new case
        self._select_in_list(report_id)
        self.list_dock.raise_()

    # ------------------------------------------------------------ imports
    def import_reports(self) -> None:
        if self.session is None:
            return
        dlg = ReportImportDialog(self.session, parent=self.window)
        dlg.imported.connect(lambda ids: self.refresh())
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.destroyed.connect(lambda *_: setattr(self, "import_dialog", None))
        self.import_dialog = dlg
        dlg.open()

    def import_holidays(self) -> None:
        """Load a year's holiday schedule; open deadlines are recounted."""
        if self.session is None:
            return
        dlg = HolidayScheduleDialog(self.session, parent=self.window)
        dlg.loaded.connect(lambda _result: self.refresh())
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    # ------------------------------------------------------------ photos
    def drop_photos(self, paths: list[str]) -> bool:
        """Photos dropped on the map: read them into draft reports."""
        if self.photo_drop is None:
            return False
        self.list_dock.raise_()
        return self.photo_drop.import_paths(paths)

    def _on_draft_ready(self, dlg: ReportDialog) -> None:
        dlg.report_filed.connect(self._on_report_filed)

    def _on_position_needed(self, photos: list[Any]) -> None:
        self.pending_photos.extend(photos)
        self.window.set_tool("place_photo")
        self._prompt_placement()

    def _prompt_placement(self) -> None:
        if self.pending_photos:
            self.window.status.showMessage(
                QCoreApplication.translate(
                    "CasesFeature", "Click the map where {name} was taken ({n} left)."
                ).format(
                    name=self.pending_photos[0].filename, n=len(self.pending_photos)
                )
            )

    def _on_photo_placed(self, x: float, y: float) -> None:
        if not self.pending_photos or self.photo_drop is None:
            self.window.set_tool("pan")
            return
        photo = self.pending_photos.pop(0)
        lon, lat = self._storage_position(x, y)
        self.photo_drop.open_draft([photo], lon, lat, crs="cgcs2000")
        if self.pending_photos:
            self._prompt_placement()
        else:
            self.window.status.clearMessage()
            self.window.set_tool("pan")
