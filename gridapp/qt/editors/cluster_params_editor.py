"""聚类参数: the radius, time window and minimum count clustering uses per category.

A manhole cover is one spot (30 m), noise carries (200 m): each category or
class may have its own parameters; the others use the class's, else the
workspace's default.  Saving goes through
:func:`gridapp.services.joint.clustering.set_category_params` (ranges checked,
audited as a change of the ``cluster.per_category`` setting).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QWidget

from gridapp.errors import ValidationError
from gridapp.qt.editors.editor_dialog import EditorDialog
from gridapp.services.cases import lookups
from gridapp.services.joint import clustering
from gridapp.services.joint.clustering import ClusterParams


def _number_text(value: Any) -> str:
    return "" if value is None else f"{value:g}"


def _parse(text: str, what_zh: str, what_en: str, *, whole: bool = False) -> float | int:
    value = unicodedata.normalize("NFKC", text).strip()
    try:
        number = float(value)
    except ValueError:
        raise ValidationError("{what}“{value}”不是数字", "The {what_en} '{value}' is not a "
                              "number", what=what_zh, what_en=what_en, value=value) from None
    if whole:
        if not number.is_integer():
            raise ValidationError("{what}必须是整数（现为 {value}）", "The {what_en} must be a "
                                  "whole number (got {value})", what=what_zh, what_en=what_en,
                                  value=value)
        return int(number)
    return number


class ClusterParamsEditor(EditorDialog):
    """Categories with the clustering parameters each one uses."""

    permission = "category.edit"

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        self.params: dict[str, ClusterParams] = {}
        self.default = ClusterParams()
        super().__init__(session, parent)
        self.setObjectName("clusterParamsEditor")
        self.code_label = QLabel(self)
        self.own_check = QCheckBox(self)
        self.own_check.setObjectName("clusterOwn")
        self.eps_edit = QLineEdit(self)
        self.eps_edit.setObjectName("clusterEps")
        self.window_edit = QLineEdit(self)
        self.window_edit.setObjectName("clusterWindow")
        self.min_edit = QLineEdit(self)
        self.min_edit.setObjectName("clusterMinSamples")
        self.own_check.toggled.connect(self._on_own_toggled)
        self.add_rows(self.code_label)
        self.form.addRow("", self.own_check)
        self.add_rows(self.eps_edit, self.window_edit, self.min_edit)
        self.hint = self.add_note()
        self.retranslate()
        self.reload()

    def headers(self) -> list[str]:
        return [self.tr("Code"), self.tr("Name"), self.tr("Distance (m)"),
                self.tr("Time window (days)"), self.tr("Min. reports")]

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Clustering parameters per category"))
        self.form_box.setTitle(self.tr("Parameters"))
        self.set_row_titles(self.tr("Category"), self.tr("Distance (m)"),
                            self.tr("Time window (days)"), self.tr("Min. reports"))
        self.own_check.setText(self.tr("Own parameters for this category"))
        self.min_edit.setPlaceholderText(self.tr("empty: chosen from the data"))
        self.hint.setText(self.tr(
            "A category without its own parameters uses its class's, else the default. "
            "Reports of one category closer than the distance and filed within the time "
            "window count as one place's problem."))

    def load_rows(self) -> list[dict[str, Any]]:
        if self.session.can("cluster.find"):
            self.default = clustering.default_params(self.session)
        self.params = clustering.category_params(self.session)
        return [r for r in lookups.category_rows(self.session) if r["active"]]

    def key_of(self, row: dict[str, Any]) -> Any:
        return row["code"]

    def _effective(self, code: str) -> tuple[ClusterParams, str]:
        if code in self.params:
            return self.params[code], "own"
        parent = clustering.class_code(code)
        if parent in self.params:
            return self.params[parent], "class"
        return self.default, "default"

    def cells(self, row: dict[str, Any]) -> list[str]:
        p, source = self._effective(row["code"])
        mark = {"own": "", "class": self.tr(" (class)"), "default": self.tr(" (default)")}
        indent = "" if row["parent_id"] is None else "    "
        return [row["code"], indent + row["name"], _number_text(p.eps_m) + mark[source],
                _number_text(p.window_days) + mark[source],
                str(p.min_samples) if p.min_samples else self.tr("auto")]

    def fill_form(self, row: dict[str, Any] | None) -> None:
        code = row["code"] if row else ""
        p, source = self._effective(code) if row else (self.default, "default")
        self.code_label.setText(f"{code} {row['name']}" if row else "")
        self.own_check.blockSignals(True)
        self.own_check.setChecked(source == "own")
        self.own_check.blockSignals(False)
        self.eps_edit.setText(_number_text(p.eps_m))
        self.window_edit.setText(_number_text(p.window_days))
        self.min_edit.setText(str(p.min_samples) if p.min_samples else "")
        self._on_own_toggled(source == "own")

    def _on_own_toggled(self, own: bool) -> None:
        for edit in (self.eps_edit, self.window_edit, self.min_edit):
            edit.setEnabled(own)

    def stored_values(self, row: dict[str, Any]) -> dict[str, Any]:
        p, source = self._effective(row["code"])
        if source != "own":
            return {"own": False}
        return {"own": True, "eps_m": p.eps_m, "window_days": p.window_days,
                "min_samples": p.min_samples}

    def revert_values(self, old: dict[str, Any], changed: dict[str, Any]) -> dict[str, Any]:
        return dict(old)  # all of them: switching own parameters off forgets them

    def form_values(self) -> dict[str, Any]:
        if not self.own_check.isChecked():
            return {"own": False}
        text = self.min_edit.text().strip()
        return {"own": True,
                "eps_m": _parse(self.eps_edit.text(), "空间距离", "distance"),
                "window_days": _parse(self.window_edit.text(), "时间窗", "time window"),
                "min_samples": _parse(text, "最少事件数", "minimum number of reports",
                                      whole=True) if text else None}

    def write(self, key: Any, values: dict[str, Any]) -> Any:
        current = clustering.category_params(self.session).get(key)
        own = values.get("own", current is not None)
        if not own:
            new = None
        else:
            base = current or self._effective(key)[0]
            fields = {k: values[k] for k in ("eps_m", "window_days", "min_samples")
                      if k in values}
            new = ClusterParams(**{"eps_m": base.eps_m, "window_days": base.window_days,
                                   "min_samples": base.min_samples, **fields})
        before = clustering.set_category_params(self.session, key, new)
        return before != new

    def edit_title(self, row: dict[str, Any]) -> str:
        return f"{row['code']} {row['name']}"
