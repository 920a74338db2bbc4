"""Grid managers: validation, editing, deactivation, photos and Excel/CSV import."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gridapp.domain.enums import Role
from gridapp.errors import ImportFileError, PermissionDenied, ValidationError
from gridapp.services.people import assignments as asg
from gridapp.services.people import manager_import as mimp
from gridapp.services.people import managers as mgr
from gridapp.services.session import system_session
from tests.services.test_assignments import make_grids, make_session


@pytest.fixture
def office(empty_workspace):
    return make_session(empty_workspace, Role.OFFICE)


# -- validation --------------------------------------------------------------
@pytest.mark.parametrize(("text", "normal"), [
    ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"),
    ("+86 138-1234-5678", "13812345678"), (13812345678, "13812345678"),
    (13812345678.0, "13812345678"), ("0851-85551234", "0851-85551234"),
    ("(0851)8555123", "0851-8555123"), ("01062751234", "010-62751234"),
    ("021-6275 1234", "021-62751234"), ("0851-85551234转801", "0851-85551234-801"),
])
def test_valid_phones(text, normal):
    assert mgr.normalize_phone(text) == normal


@pytest.mark.parametrize("text", [
    "", "1381234567", "138123456789", "12812345678", "85551234", "0851-0555123",
    "0851-855512345", "abc", "138-1234-567a", None])
def test_invalid_phones_say_what_is_expected(text):
    with pytest.raises(ValidationError) as err:
        mgr.normalize_phone(text)
    assert "11位手机号码" in str(err.value)


def test_add_edit_and_unique_staff_numbers(office):
    mid = mgr.add_manager(office, name=" 张伟 ", phone="138 1234 5678", staff_no="W001",
                          employment="兼职", notes="夜班")
    row = mgr.get_manager(office, mid)
    assert (row["name"], row["phone"], row["employment"], row["active"]) == (
        "张伟", "13812345678", "part_time", 1)
    with pytest.raises(ValidationError, match="(?i)w001"):
        mgr.add_manager(office, name="李娜", phone="13812345679", staff_no="w001")
    other = mgr.add_manager(office, name="李娜", phone="13812345679", staff_no="W002")
    with pytest.raises(ValidationError):
        mgr.update_manager(office, other, staff_no="W001")
    diff = mgr.update_manager(office, mid, phone="0851-85551234")
    assert diff == {"phone": ["13812345678", "0851-85551234"]}
    with pytest.raises(ValidationError):
        mgr.update_manager(office, mid, phone="12345")
    with pytest.raises(ValidationError):
        mgr.update_manager(office, mid, active=0)  # not an editable field
    with pytest.raises(ValidationError):
        mgr.add_manager(office, name="", phone="13812345670", staff_no="W003")
    with pytest.raises(ValidationError):
        mgr.add_manager(office, name="王芳", phone="13812345670", staff_no="W 3")
    assert [m["staff_no"] for m in mgr.list_managers(office)] == ["W001", "W002"]


def test_manager_with_history_is_deactivated_never_deleted(office):
    store = office.store
    grids = make_grids(store, 2)
    fresh = mgr.add_manager(office, name="赵敏", phone="13812340000", staff_no="W010")
    mgr.delete_manager(office, fresh)  # a mistake without history can go
    mid = mgr.add_manager(office, name="张伟", phone="13812345678", staff_no="W001")
    asg.assign_grids(office, grids, mid)
    with pytest.raises(ValidationError, match="停用"):
        mgr.delete_manager(office, mid)
    assert mgr.deactivate_manager(office, mid) == 2
    assert store.get("manager", mid)["active"] == 0
    assert asg.current_assignments(office) == []
    assert len(asg.assignment_history(office, manager_id=mid)) == 2
    assert mgr.list_managers(office) == []
    assert len(mgr.list_managers(office, include_inactive=True)) == 1
    mgr.reactivate_manager(office, mid)
    assert store.get("manager", mid)["active"] == 1


# -- photos --------------------------------------------------------------------
def _image_bytes(size=(800, 600), fmt="PNG", color=(200, 30, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt)
    return buf.getvalue()


def test_photo_is_cropped_square_downscaled_and_stored(office, tmp_path):
    from PIL import Image

    mid = mgr.add_manager(office, name="张伟", phone="13812345678", staff_no="W001")
    path = tmp_path / "zhang.png"
    path.write_bytes(_image_bytes((1600, 1000)))
    aid = mgr.set_manager_photo(office, mid, path)
    row = office.store.get("attachment", aid)
    assert (row["width"], row["height"], row["content_type"]) == (480, 480, "image/jpeg")
    assert row["filename"] == "zhang.png"
    data = mgr.manager_photo(office, mid)
    assert Image.open(io.BytesIO(data)).size == (480, 480)
    small = mgr.set_manager_photo(office, mid, _image_bytes((300, 200), "JPEG"), "s.jpg")
    assert office.store.get("attachment", small)["width"] == 200
    assert office.store.get("manager", mid)["photo_id"] == small


def test_photo_rejects_non_images_and_oversized_files(office, tmp_path):
    mid = mgr.add_manager(office, name="张伟", phone="13812345678", staff_no="W001")
    with pytest.raises(ValidationError, match="不是可识别的图片"):
        mgr.set_manager_photo(office, mid, b"%PDF-1.4 not a picture")
    truncated = _image_bytes()[:200]
    with pytest.raises(ValidationError, match="不是可识别的图片"):
        mgr.set_manager_photo(office, mid, truncated)
    office.store.set_setting(mgr.PHOTO_MAX_BYTES_KEY, 1000)
    big = tmp_path / "big.png"
    big.write_bytes(_image_bytes((400, 400), "BMP"))
    with pytest.raises(ValidationError, match="照片文件过大"):
        mgr.set_manager_photo(office, mid, big)
    assert office.store.get("manager", mid)["photo_id"] is None
    assert office.store.scalar("SELECT count(*) FROM attachment") == 0


# -- import --------------------------------------------------------------------
GOOD_ROWS = [
    ["张伟", "13812345678", "W001", "专职", ""],
    ["李娜", "0851-85551234", "W002", "兼职", "社区干部兼任"],
    ["王芳", "139 0000 1111", "W003", "", ""],
]
HEADER = ["姓名", "手机号码", "工号", "用工性质", "备注"]


def write_csv(path: Path, rows, encoding="utf-8", header=HEADER) -> Path:
    text = "\n".join(",".join(r) for r in [header, *rows]) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, rows, *, title=None, header=HEADER, merge_header=None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "网格员"
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for r in rows:
        ws.append(r)
    if merge_header:
        ws.merge_cells(merge_header)
    wb.save(path)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_import_csv_in_each_encoding(office, tmp_path, encoding):
    path = write_csv(tmp_path / "m.csv", GOOD_ROWS, encoding)
    preview = mimp.preview_manager_import(office, path)
    assert preview.ok, [p.message for p in preview.problems]
    assert preview.rows[0].values["name"] == "张伟"
    assert mimp.import_managers(office, preview) == 3
    rows = {m["staff_no"]: m for m in mgr.list_managers(office)}
    assert rows["W002"]["phone"] == "0851-85551234"
    assert rows["W002"]["employment"] == "part_time"
    assert rows["W002"]["notes"] == "社区干部兼任"
    assert rows["W003"]["employment"] == "full_time"


def test_import_xlsx_with_title_row_and_numeric_cells(office, tmp_path):
    rows = [["张伟", 13812345678, 1001, "专职", None], ["李娜", "13812345679", 1002, None, None]]
    path = write_xlsx(tmp_path / "m.xlsx", rows, title="青云路街道网格员名单")
    preview = mimp.preview_manager_import(office, path)
    assert preview.ok, [p.message for p in preview.problems]
    assert [r.line for r in preview.rows] == [3, 4]
    assert mimp.import_managers(office, path) == 2
    assert mgr.manager_by_staff_no(office, "1001")


def test_xlsx_with_merged_header_cells_is_refused_clearly(office, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", GOOD_ROWS, header=["姓名", "联系方式", "", "工号", "备注"],
                      merge_header="B1:C1")
    preview = mimp.preview_manager_import(office, path)
    assert not preview.ok
    text = " ".join(p.message for p in preview.problems)
    assert "合并单元格" in text and "B1:C1" in text
    with pytest.raises(ImportFileError) as err:
        mimp.import_managers(office, path)
    assert err.value.params["problems"]
    assert office.store.scalar("SELECT count(*) FROM manager") == 0


def test_wrong_columns_name_the_missing_ones_and_mapping_fixes_them(office, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", GOOD_ROWS,
                      header=["人员", "联系号码", "工号", "用工性质", "备注"])
    preview = mimp.preview_manager_import(office, path)
    text = " ".join(p.message for p in preview.problems)
    assert "缺少必需的列" in text and "姓名" in text and "电话" in text and "人员" in text
    fixed = mimp.preview_manager_import(office, path, mapping={"name": "人员", "phone": 1})
    assert fixed.ok
    bad = mimp.preview_manager_import(office, path, mapping={"name": "没有这列", "phone": 1})
    assert any("没有这列" in p.message for p in bad.problems)


def test_per_row_rejections_and_nothing_partial(office, tmp_path):
    mgr.add_manager(office, name="老员工", phone="13800000000", staff_no="W900")
    rows = [
        ["张伟", "13812345678", "W001", "专职", ""],      # line 2: fine
        ["李娜", "1381234", "W002", "兼职", ""],          # line 3: bad phone
        ["王芳", "13900001111", "W001", "", ""],          # line 4: duplicate of line 2
        ["", "13900001112", "W004", "", ""],              # line 5: no name
        ["赵敏", "13900001113", "W900", "", ""],          # line 6: exists in workspace
        ["钱进", "13900001114", "W006", "临时工", ""],     # line 7: unknown employment
    ]
    path = write_csv(tmp_path / "m.csv", rows, "gbk")
    preview = mimp.preview_manager_import(office, path)
    by_line = {r.line: [p.message for p in r.problems] for r in preview.rows}
    assert len(by_line[2]) == 1 and "第4行" in by_line[2][0]
    assert "电话号码“1381234”无效" in by_line[3][0] and by_line[3][0].startswith("第3行")
    assert "重复" in by_line[4][0]
    assert "缺少姓名" in by_line[5][0]
    assert "已存在于工作空间" in by_line[6][0]
    assert "临时工" in by_line[7][0]
    assert len(preview.accepted) == 0 and len(preview.rejected) == 6
    with pytest.raises(ImportFileError) as err:
        mimp.import_managers(office, preview)
    assert "未写入任何数据" in str(err.value)
    assert office.store.scalar("SELECT count(*) FROM manager") == 1


def test_import_rechecks_the_workspace_after_the_preview(office, tmp_path):
    path = write_csv(tmp_path / "m.csv", GOOD_ROWS)
    preview = mimp.preview_manager_import(office, path)
    assert preview.ok
    mgr.add_manager(office, name="插队", phone="13800000000", staff_no="W002")
    with pytest.raises(ImportFileError):
        mimp.import_managers(office, preview)
    assert office.store.scalar("SELECT count(*) FROM manager") == 1


def test_unsupported_and_empty_files(office, tmp_path):
    (tmp_path / "m.pdf").write_bytes(b"%PDF")
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        mimp.preview_manager_import(office, tmp_path / "m.pdf")
    (tmp_path / "e.csv").write_bytes(b"")
    assert not mimp.preview_manager_import(office, tmp_path / "e.csv").ok
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    with pytest.raises(ValidationError, match="无法读取 Excel"):
        mimp.preview_manager_import(office, tmp_path / "bad.xlsx")


def test_grid_manager_and_leader_cannot_touch_managers(empty_workspace, tmp_path):
    store = empty_workspace
    mid = mgr.add_manager(system_session(store), name="张伟", phone="13812345678",
                          staff_no="W001")
    for role in (Role.MANAGER, Role.LEADER, Role.LIAISON, Role.DISPATCHER):
        session = make_session(store, role, manager_id=mid if role is Role.MANAGER else None)
        assert mgr.list_managers(session)  # reading is open to everyone
        with pytest.raises(PermissionDenied):
            mgr.update_manager(session, mid, phone="13900000000")
        with pytest.raises(PermissionDenied):
            mimp.preview_manager_import(session, write_csv(tmp_path / "m.csv", GOOD_ROWS))
