"""ID numbers checked as a column (an import's), as one at a time would (issue 18)."""

from __future__ import annotations

from datetime import date

from gridapp.domain import idcard

# Expected problems written by hand: the check characters of 11010519491231002X and
# 52010219900101123X are worked out in tests/domain/test_idcard.py.
CASES = [
    ("11010519491231002X", None),
    ("52010219900101123X", None),
    ("110105194912310021", "check"),       # X expected
    ("990105194912310021", "region"),      # 99: no province
    ("110105194902300021", "birth"),       # 30 February
    ("110105203001010021", "birth"),       # after today (2026-11-20)
    ("1101051949123100", "format"),        # too short
    ("11010519491231002Y", "format"),
    ("", "format"),
    ("１１０１０５１９４９１２３１００２X", "format"),  # full-width digits
]


def test_problems_many_agrees_with_problem_row_by_row():
    today = date(2026, 11, 20)
    numbers = idcard.normalise_many([n for n, _ in CASES])
    assert idcard.problems_many(numbers, today=today) == [p for _, p in CASES]
    assert [idcard.problem(n, today=today) for n in numbers] == [p for _, p in CASES]


def test_normalise_many_upgrades_old_numbers_and_strips_spaces():
    # 110105491231002 (15 digits) is 11010519491231002 + its check character X.
    assert idcard.normalise_many([" 11010519491231002x ", "110105491231002", None]) == \
        ["11010519491231002X", "11010519491231002X", ""]
