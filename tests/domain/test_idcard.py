"""GB 11643 ID numbers: check characters worked out by hand, dates, regions, old numbers."""

from __future__ import annotations

from datetime import date

import pytest

from gridapp.domain import idcard
from gridapp.errors import ValidationError

# Check characters computed by hand (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11
# through "10X98765432"):
# 11010519491231002: 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167, 167 mod 11 = 2 -> X
#   (the example printed in GB 11643-1999 itself)
# 44052418800101001: 28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195, mod 11 = 8 -> 4
#   (the standard's second example)
# 52010219900101123: 35+18+0+5+0+8+2+9+54+0+0+9+0+5+8+8+6 = 167 -> X
# 52010220000229002: 35+18+0+5+0+8+4+0+0+0+0+18+20+45+0+0+4 = 157, mod 11 = 3 -> 9
VALID = ["11010519491231002X", "440524188001010014", "52010219900101123X",
         "520102200002290029"]


@pytest.mark.parametrize("number", VALID)
def test_hand_checked_numbers_are_valid(number):
    assert idcard.is_valid(number, today=date(2026, 11, 20))


@pytest.mark.parametrize(("number", "reason"), [
    ("110105194912310021", "check"),     # X expected
    ("52010219900101123", "format"),      # 17 characters
    ("5201021990010112XX", "format"),
    ("990102199001011234", "region"),     # no province 99
    ("520102199002301232", "birth"),      # 30 February
    ("520102210001011236", "birth"),      # born in 2100, after today
    ("52010218000101123X", "birth"),       # before 1850
])
def test_bad_numbers_say_what_is_wrong(number, reason):
    assert idcard.problem(number, today=date(2026, 11, 20)) == reason
    with pytest.raises(ValidationError) as err:
        idcard.parse(number, today=date(2026, 11, 20))
    assert err.value.params["reason"] == reason


def test_wrong_check_message_names_the_right_character():
    with pytest.raises(ValidationError) as err:
        idcard.parse("110105194912310021")
    assert "X" in str(err.value)


def test_leap_day_and_lower_case_x_and_spaces():
    card = idcard.parse(" 11010519491231002x ")
    assert card.number == "11010519491231002X"
    assert card.birth == date(1949, 12, 31)
    assert card.male is False  # order code 002 is even
    assert idcard.parse("520102200002290029").birth == date(2000, 2, 29)


def test_old_fifteen_digit_numbers_are_upgraded():
    # 110105491231002 -> 110105 19 491231002 + check X (worked out above)
    assert idcard.normalise("110105491231002") == "11010519491231002X"
    assert idcard.is_valid("110105491231002")


def test_age():
    card = idcard.parse("52010219900101123X")
    assert card.male is True  # 123 is odd
    assert idcard.age_on(card, date(2026, 11, 20)) == 36
    assert idcard.age_on(card, date(2025, 12, 31)) == 35
