"""The form rows every editor builds with EditorDialog.add_rows: each field has its
label beside it, titled in the user's language, and the notes sit under the form."""

from __future__ import annotations

import pytest

from gridapp.qt.editors.category_editor import CategoryEditor
from gridapp.qt.editors.cluster_params_editor import ClusterParamsEditor
from gridapp.qt.editors.department_editor import DepartmentEditor
from gridapp.qt.editors.manager_reactivate_dialog import ManagerReactivateDialog


def _label(dialog, field) -> str:  # type: ignore[no-untyped-def]
    label = dialog.form.labelForField(field)
    assert label is not None, field.objectName()
    return label.text()


@pytest.fixture
def office(login_as):
    return login_as("wgb")


def test_each_field_is_labelled_in_chinese(qtbot, office, chinese_ui):
    category = CategoryEditor(office)
    department = DepartmentEditor(office)
    cluster = ClusterParamsEditor(office)
    manager = ManagerReactivateDialog(office)
    for dialog in (category, department, cluster, manager):
        qtbot.addWidget(dialog)
    assert _label(category, category.code_label) == "编码"
    assert _label(category, category.department_combo) == "默认处置部门"
    assert _label(department, department.phone_edit) == "联络人电话"
    assert _label(cluster, cluster.code_label) == "分类"
    # the checkbox row between them has no label; the rows after it keep theirs
    rows = [cluster.form.getWidgetPosition(w)[0] for w in (
        cluster.code_label, cluster.own_check, cluster.eps_edit, cluster.min_edit)]
    assert rows == sorted(rows) and len(set(rows)) == 4
    assert cluster.form.labelForField(cluster.own_check) is None
    assert _label(cluster, cluster.min_edit) == "最少事件数"
    assert _label(manager, manager.values[-1]) == "用工性质"
    for dialog in (category, department, cluster, manager):
        assert all(label.text() for label in dialog.row_labels), type(dialog).__name__


def test_notes_sit_under_the_form_and_wrap(qtbot, office):
    cluster = ClusterParamsEditor(office)
    department = DepartmentEditor(office)
    for dialog, note in ((cluster, cluster.hint), (department, department.accounts_label)):
        qtbot.addWidget(dialog)
        assert note.wordWrap()
        assert dialog.extra_area.indexOf(note) >= 0
        assert note.text()
