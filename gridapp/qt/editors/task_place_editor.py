"""任务范围与照片: a joint task's place (its footprint's corners) and its photos
before and after the action.

The place is edited as a list of corners in CGCS2000 longitude/latitude
(what a dispatcher reads off the map or a phone), saved with
:func:`gridapp.services.joint.tasks.edit_task` while the task is proposed or
summoned.  Photos are added from files (:func:`~gridapp.services.joint.tasks.
add_photo`) and taken off with :func:`~gridapp.services.joint.tasks.
remove_photo`.  Every change is checked and audited by the services and can
be undone here.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import shapely
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from gridapp.errors import GridAppError, ValidationError
from gridapp.i18n import pick
from gridapp.qt.editors.editor_dialog import EditorDialog
from gridapp.services.joint import tasks

PHASES = {"before": ("处置前", "before"), "after": ("处置后", "after"), "other": ("其他", "other")}
THUMB = 96


def _corner_text(value: float) -> str:
    return f"{value:.6f}"


class TaskPlaceEditor(EditorDialog):
    """Tasks on the left; the selected task's corners and photos on the right."""

    permission = "task.manage"

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        self._exact: tuple[tuple[float, float], ...] = ()
        super().__init__(session, parent)
        self.setObjectName("taskPlaceEditor")
        self.corners = QTableWidget(0, 2, self)
        self.corners.setObjectName("taskCorners")
        self.corners.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.corners.setMinimumHeight(120)
        self.add_corner = QPushButton(self)
        self.add_corner.clicked.connect(self._add_corner)
        self.remove_corner = QPushButton(self)
        self.remove_corner.clicked.connect(self._remove_corner)
        corner_buttons = QHBoxLayout()
        corner_buttons.addWidget(self.add_corner)
        corner_buttons.addWidget(self.remove_corner)
        self.area_label = QLabel(self)
        self.corner_caption = QLabel(self)
        self.form.addRow(self.corner_caption)
        self.form.addRow(self.corners)
        self.form.addRow(corner_buttons)
        self.form.addRow(self.area_label)

        self.photo_caption = QLabel(self)
        self.photos = QListWidget(self)
        self.photos.setObjectName("taskPhotos")
        self.photos.setMaximumHeight(90)
        self.photos.currentRowChanged.connect(self._show_thumb)
        self.thumb = QLabel(self)
        self.thumb.setFixedSize(THUMB, THUMB)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.add_before = QPushButton(self)
        self.add_before.setObjectName("addBeforePhoto")
        self.add_before.clicked.connect(lambda: self.add_photo_file("before"))
        self.add_after = QPushButton(self)
        self.add_after.setObjectName("addAfterPhoto")
        self.add_after.clicked.connect(lambda: self.add_photo_file("after"))
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("removePhoto")
        self.remove_button.clicked.connect(self.remove_selected_photo)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photos, 1)
        photo_row.addWidget(self.thumb)
        buttons = QHBoxLayout()
        for b in (self.add_before, self.add_after, self.remove_button):
            buttons.addWidget(b)
        self.extra_area.addWidget(self.photo_caption)
        self.extra_area.addLayout(photo_row)
        self.extra_area.addLayout(buttons)
        self._photo_rows: list[dict[str, Any]] = []
        self.retranslate()
        self.reload()

    # -- EditorDialog ----------------------------------------------------------
    def headers(self) -> list[str]:
        return [self.tr("Task no."), self.tr("Title"), self.tr("State")]

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Task place and photos"))
        self.save_button.setText(self.tr("Save place"))
        self.form_box.setTitle(self.tr("Place"))
        self.corner_caption.setText(self.tr("Corners (CGCS2000 longitude, latitude)"))
        if hasattr(self, "corners"):
            self.corners.setHorizontalHeaderLabels([self.tr("Longitude"), self.tr("Latitude")])
        self.add_corner.setText(self.tr("Add corner"))
        self.remove_corner.setText(self.tr("Remove corner"))
        self.photo_caption.setText(self.tr("Photos before and after the action"))
        self.add_before.setText(self.tr("Add photo before…"))
        self.add_after.setText(self.tr("Add photo after…"))
        self.remove_button.setText(self.tr("Remove photo"))

    def load_rows(self) -> list[dict[str, Any]]:
        return [{"id": t.id, "task_no": t.task_no, "title": t.title, "state": t.state}
                for t in tasks.task_board(self.session)]

    def cells(self, row: dict[str, Any]) -> list[str]:
        state = row["state"]
        return [row["task_no"], row["title"], pick(state.zh, state.en)]

    def fill_form(self, row: dict[str, Any] | None) -> None:
        self.corners.setRowCount(0)
        self.area_label.setText("")
        self._exact = ()
        if row is not None:
            try:
                geom = tasks.get_task(self.session, row["id"]).footprint
            except GridAppError as exc:
                self.show_error(exc)
                geom = None
            if geom is not None and not geom.is_empty:
                self._exact = tuple((float(x), float(y)) for x, y in geom.exterior.coords[:-1])
                for x, y in self._exact:
                    self._append_corner(_corner_text(x), _corner_text(y))
        self._fill_photos(row)
        can_photo = row is not None and self.session.can("task.respond")
        for b in (self.add_before, self.add_after, self.remove_button):
            b.setEnabled(can_photo)
        for b in (self.add_corner, self.remove_corner):
            b.setEnabled(row is not None and self.session.can(self.permission))

    def _append_corner(self, lon: str, lat: str) -> None:
        r = self.corners.rowCount()
        self.corners.insertRow(r)
        self.corners.setItem(r, 0, QTableWidgetItem(lon))
        self.corners.setItem(r, 1, QTableWidgetItem(lat))

    def _add_corner(self) -> None:
        r = self.corners.currentRow()
        if r < 0 or self.corners.rowCount() == 0:
            self._append_corner("", "")
            return
        nxt = (r + 1) % self.corners.rowCount()
        mid = []
        for c in (0, 1):
            try:
                a = float(self.corners.item(r, c).text())
                b = float(self.corners.item(nxt, c).text())
                mid.append(_corner_text((a + b) / 2))
            except (ValueError, AttributeError):
                mid.append("")
        self.corners.insertRow(r + 1)
        for c in (0, 1):
            self.corners.setItem(r + 1, c, QTableWidgetItem(mid[c]))

    def _remove_corner(self) -> None:
        r = self.corners.currentRow()
        if r >= 0:
            self.corners.removeRow(r)

    def stored_values(self, row: dict[str, Any]) -> dict[str, Any]:
        return {"place": tuple((round(x, 6), round(y, 6)) for x, y in self._exact)}

    def revert_values(self, old: dict[str, Any], changed: dict[str, Any]) -> dict[str, Any]:
        return {"place": self._exact}  # the stored corners, not their rounded text

    def form_values(self) -> dict[str, Any]:
        corners = []
        for r in range(self.corners.rowCount()):
            pair = []
            for c, (what_zh, what_en) in enumerate((("经度", "longitude"),
                                                    ("纬度", "latitude"))):
                item = self.corners.item(r, c)
                text = unicodedata.normalize("NFKC", item.text() if item else "").strip()
                try:
                    pair.append(round(float(text), 6))
                except ValueError:
                    raise ValidationError(
                        "第 {n} 个顶点的{what}“{value}”不是数字",
                        "The {what_en} of corner {n} ('{value}') is not a number",
                        n=r + 1, what=what_zh, what_en=what_en, value=text) from None
            corners.append((pair[0], pair[1]))
        if len(corners) < 3:
            raise ValidationError("任务范围至少需要 3 个顶点（现有 {n} 个）",
                                  "The task's place needs at least 3 corners (has {n})",
                                  n=len(corners))
        return {"place": tuple(corners)}

    def write(self, key: Any, values: dict[str, Any]) -> Any:
        polygon = shapely.Polygon(values["place"])
        if not polygon.is_valid:
            raise ValidationError("任务范围的边相互交叉，请按顺序排列顶点",
                                  "The task's place crosses itself: put the corners in order")
        tasks.edit_task(self.session, key, footprint=polygon)
        return True

    def edit_title(self, row: dict[str, Any]) -> str:
        return f"{row['task_no']} {row['title']}"

    # -- photos ------------------------------------------------------------------
    def _fill_photos(self, row: dict[str, Any] | None) -> None:
        self.photos.clear()
        self._photo_rows = []
        if row is None:
            self._show_thumb(-1)
            return
        try:
            self._photo_rows = tasks.task_photos(self.session, row["id"])
        except GridAppError as exc:
            self.show_error(exc)
        for p in self._photo_rows:
            zh, en = PHASES.get(p["phase"] or "other", PHASES["other"])
            QListWidgetItem(f"[{pick(zh, en)}] {p['filename'] or p['attachment_id']}",
                            self.photos)
        self.photos.setCurrentRow(len(self._photo_rows) - 1)
        self._show_thumb(self.photos.currentRow())

    def _show_thumb(self, index: int) -> None:
        row = self.current_row()
        if row is None or not 0 <= index < len(self._photo_rows):
            self.thumb.clear()
            return
        try:
            data = tasks.task_photo_data(self.session, row["id"],
                                         self._photo_rows[index]["attachment_id"])
        except GridAppError:
            data = b""
        image = QImage.fromData(data)
        self.thumb.setPixmap(QPixmap.fromImage(image).scaled(
            THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation) if not image.isNull() else QPixmap())

    def add_photo_file(self, phase: str) -> bool:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a photo"), "",
            self.tr("Images (*.jpg *.jpeg *.png *.bmp *.webp)"))
        if not path:
            return False
        return self.add_photo_bytes(Path(path).read_bytes(), phase, Path(path).name)

    def add_photo_bytes(self, data: bytes, phase: str, filename: str) -> bool:
        """Add a photo of the selected task; True when saved (and undoable)."""
        row = self.current_row()
        if row is None:
            return False
        if QImage.fromData(data).isNull():
            self.show_error(ValidationError(
                "“{name}”不是可识别的图片（支持 JPEG、PNG、BMP、WebP）",
                "'{name}' is not a readable image (JPEG, PNG, BMP, WebP)", name=filename))
            return False
        task_id = row["id"]
        held = {"id": None}

        def add() -> None:
            held["id"] = tasks.add_photo(self.session, task_id, data, phase=phase,
                                         filename=filename)

        try:
            add()
        except GridAppError as exc:
            self.show_error(exc)
            return False
        zh, en = PHASES[phase]
        title = f"{row['task_no']} {pick(zh, en)} {filename}"
        self.push_done(title, add, lambda: tasks.remove_photo(self.session, task_id,
                                                              held["id"]), task_id)
        self.reload(task_id)
        self.show_ok(self.tr("Photo added: {name}. Undo with Ctrl+Z.").format(name=filename))
        return True

    def remove_selected_photo(self) -> bool:
        row = self.current_row()
        index = self.photos.currentRow()
        if row is None or not 0 <= index < len(self._photo_rows):
            self.show_error(self.tr("Select a photo first."))
            return False
        photo = self._photo_rows[index]
        task_id = row["id"]
        held = {"id": photo["attachment_id"]}
        try:
            data = tasks.task_photo_data(self.session, task_id, held["id"])
            tasks.remove_photo(self.session, task_id, held["id"])
        except GridAppError as exc:
            self.show_error(exc)
            return False

        def put_back() -> None:
            held["id"] = tasks.add_photo(self.session, task_id, data,
                                         phase=photo["phase"] or "other",
                                         filename=photo["filename"] or "")

        name = photo["filename"] or str(photo["attachment_id"])
        self.push_done(f"{row['task_no']} − {name}",
                       lambda: tasks.remove_photo(self.session, task_id, held["id"]),
                       put_back, task_id)
        self.reload(task_id)
        self.show_ok(self.tr("Photo removed: {name}. Undo with Ctrl+Z.").format(name=name))
        return True
