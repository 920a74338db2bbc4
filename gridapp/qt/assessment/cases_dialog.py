"""The cases behind one figure of the dashboard (drill-down)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from gridapp.domain.enums import CaseStatus
from gridapp.domain.timeutil import format_local
from gridapp.qt.fit import FittedDialog
from gridapp.qt.rows_model import RowsTableModel
from gridapp.services.assessment import formula as formulas
from gridapp.services.assessment.indicators import cases_behind


def _status(value: str) -> str:
    try:
        return CaseStatus(value).label  # type: ignore[call-arg]
    except ValueError:
        return value


class CasesBehindDialog(FittedDialog):
    """Lists the cases each measure of an indicator's formula counts."""

    def __init__(self, session: Any, period: Any, by: str, unit: Any, indicator: Any,
                 unit_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = cases_behind(session, period, by, unit, indicator.code)
        used = [k for k in self.rows[0] if k in formulas.MEASURES] if self.rows else []
        columns = [
            (self.tr("Case no."), lambda r: r["case_no"]),
            (self.tr("Status"), lambda r: _status(r["status"])),
            (self.tr("Category"), lambda r: r["category"]),
            (self.tr("Department"), lambda r: r["department"]),
            (self.tr("Grid"), lambda r: r["grid_code"]),
            (self.tr("Deadline"), lambda r: format_local(r["deadline"])),
            (self.tr("Closed"), lambda r: format_local(r["closed_at"])),
        ]
        for m in used:
            zh_en = formulas.MEASURES[m]
            columns.append((zh_en[0] if self._zh() else zh_en[1],
                            lambda r, m=m: "✓" if r.get(m) else ""))
        self.model = RowsTableModel(columns, self)
        self.model.set_rows(self.rows)
        view = QTableView()
        view.setModel(self.model)
        view.resizeColumnsToContents()
        layout = QVBoxLayout(self)
        title = f"{unit_label} · {indicator.name} · {period.label}"
        layout.addWidget(QLabel(f"{title} = {indicator.formula}"))
        layout.addWidget(QLabel(self.tr("{n} cases").replace("{n}", str(len(self.rows)))))
        layout.addWidget(view)
        self.setWindowTitle(title)
        self.resize(900, 480)

    @staticmethod
    def _zh() -> bool:
        from gridapp import i18n

        return i18n.pick("zh", "en") == "zh"
