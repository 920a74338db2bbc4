from __future__ import annotations

import pytest

from gridapp.domain import masking
from gridapp.domain.enums import Role
from gridapp.errors import PermissionDenied


@pytest.mark.parametrize(("name", "masked"), [
    # Issue 18 writes the masked name 张*: surname and one star, whatever the
    # given name's length.
    ("张三", "张*"), ("张三丰", "张*"), ("欧阳娜娜", "欧阳*"), ("欧阳", "欧*"),
    ("王", "王*"), ("", ""), (None, None), ("Alice", "A*"),
])
def test_mask_name(name, masked):
    assert masking.mask_name(name) == masked


@pytest.mark.parametrize(("phone", "masked"), [
    ("13812345678", "138****5678"),  # the issue's own example
    ("13812341234", "138****1234"),
    ("138 1234 1234", "138****1234"),
    ("0851-85551234", "0851-****1234"),
    ("010-62751234", "010-****1234"),
    ("12345", "*****"),
    (None, None),
])
def test_mask_phone(phone, masked):
    assert masking.mask_phone(phone) == masked


def test_mask_id_number_keeps_only_ends():
    # The form: 520***********1234 (first 3, eleven stars, last 4).
    assert masking.mask_id_number("520102199001011234") == "520***********1234"
    assert masking.mask_id_number("52010219900101123X") == "520***********123X"
    assert masking.mask_id_number("520102900101123") == "520********1123"
    assert masking.mask_id_number("1234567") == "*******"
    assert masking.mask_id_number("1234") == "****"


def test_masked_values_never_contain_the_hidden_part():
    assert "1990" not in masking.mask_id_number("52010219900101123X")
    assert "5678" not in masking.mask_phone("13856781234")


@pytest.mark.parametrize("role", list(Role))
def test_screen_masking_follows_the_permission(role):
    sees = role in (Role.ADMIN, Role.OFFICE, Role.DISPATCHER)
    assert masking.must_mask(role) is (not sees)


@pytest.mark.parametrize("role", list(Role))
def test_exports_are_masked_unless_explicitly_asked_by_an_allowed_role(role):
    assert masking.must_mask(role, export=True) is True
    if role in (Role.ADMIN, Role.OFFICE, Role.DISPATCHER):
        assert masking.must_mask(role, export=True, include_personal=True) is False
    else:
        with pytest.raises(PermissionDenied):
            masking.must_mask(role, export=True, include_personal=True)


def test_mask_record_and_frame():
    import pandas as pd

    rec = {"case_no": "A1", "reporter_name": "李小龙", "reporter_phone": "13912345678",
           "description": "垃圾"}
    out = masking.mask_record(rec)
    assert out == {"case_no": "A1", "reporter_name": "李*",
                   "reporter_phone": "139****5678", "description": "垃圾"}
    assert rec["reporter_name"] == "李小龙"  # a copy
    df = pd.DataFrame([rec, {**rec, "reporter_name": None}])
    masked = masking.mask_frame(df)
    assert masked["reporter_name"][0] == "李*"
    assert pd.isna(masked["reporter_name"][1])
    assert df["reporter_name"][0] == "李小龙"


def test_session_helper_follows_the_same_policy(empty_workspace):
    from gridapp.services.session import Session, User, should_mask_personal

    leader = Session(empty_workspace, User(None, "l", "l", Role.LEADER))
    office = Session(empty_workspace, User(None, "o", "o", Role.OFFICE))
    assert should_mask_personal(leader) and not should_mask_personal(office)
    assert should_mask_personal(office, export=True)
    assert not should_mask_personal(office, export=True, include_personal=True)
    with pytest.raises(PermissionDenied):
        should_mask_personal(leader, export=True, include_personal=True)
