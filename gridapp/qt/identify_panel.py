"""Fields of the features under a click (identify tool)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from gridapp.qt.feature_table_model import show_value
from gridapp.qt.field_titles import field_title, value_label
from gridapp.qt.layer_data import WorkspaceLayers
from gridapp.qt.layer_tree_model import layer_title
from gridapp.qt.reference_labels import reference_label, reference_labels


class IdentifyPanel(QWidget):
    """One top item per feature found (top layer first), its fields below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("identifyTree")
        self.tree.setColumnCount(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree)
        self.hits: list[tuple[str, int]] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr("Field"), self.tr("Value")])

    def show_hits(
        self, hits: list[tuple[str, int]], workspace: WorkspaceLayers | None
    ) -> None:
        self.hits = list(hits)
        self.tree.clear()
        if workspace is None:
            return
        if not hits:
            QTreeWidgetItem(self.tree, [self.tr("Nothing here"), ""])
            return
        refs = reference_labels(workspace)
        for k, (name, row) in enumerate(hits[:50]):
            data = workspace.data[name]
            attrs = data.layer.attributes.iloc[row]
            label = next(
                (
                    show_value(attrs[f])
                    for f in ("name", "code", "case_no", "title")
                    if f in attrs.index and show_value(attrs[f])
                ),
                f"#{data.ids[row]}",
            )
            top = QTreeWidgetItem(self.tree, [layer_title(name), label])
            for field, value in attrs.items():
                label = value_label(str(field), value)
                if label is None:
                    label = reference_label(refs, str(field), value)
                shown = show_value(value) if label is None else label
                item = QTreeWidgetItem(top, [field_title(str(field)), shown])
                item.setData(0, Qt.ItemDataRole.UserRole, str(field))
            top.setExpanded(k == 0)
        self.tree.resizeColumnToContents(0)

    def fields(self, hit: int = 0) -> dict[str, str]:
        """Field → shown value of the *hit*-th feature (for tests and copy)."""
        top = self.tree.topLevelItem(hit)
        if top is None:
            return {}
        return {
            top.child(i).data(0, Qt.ItemDataRole.UserRole): top.child(i).text(1)
            for i in range(top.childCount())
        }
