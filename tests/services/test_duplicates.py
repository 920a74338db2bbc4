"""Near duplicates per category: radius and window as data, ranked by place, time, words."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from gridapp.errors import PermissionDenied, ValidationError
from gridapp.services.cases.placement import (
    category_duplicate_rule,
    find_near_duplicates,
    set_category_duplicate_rule,
    text_similarity,
)
from gridapp.services.cases.reports import ReportDraft, check_report, file_report
from tests.services.test_reports import make_street

AT = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 Beijing time


@pytest.fixture
def street(empty_workspace):
    return make_street(empty_workspace)


def _east(lon: float, lat: float, metres: float) -> tuple[float, float]:
    return lon + metres / (111_320.0 * math.cos(math.radians(lat))), lat


def _file(street, code, metres, days_before, text):
    lon, lat = _east(*street.inside(0, 0.1, 0.5), metres)
    return file_report(street.session("dispatcher"), ReportDraft(
        category=code, lon=lon, lat=lat, description=text,
        reported_at=AT - timedelta(days=days_before))).report_id


def test_each_category_has_its_own_radius_and_window(street):
    s = street.session("dispatcher")
    rule = category_duplicate_rule(s, street.categories["0505"])  # 井盖缺失
    assert (rule.radius_m, rule.days, rule.source) == (30, 14, "built_in")
    rule = category_duplicate_rule(s, street.categories["0107"])  # 噪声扰民
    assert (rule.radius_m, rule.days) == (200, 3)
    rule = category_duplicate_rule(s, street.categories["B0101"])  # 上水井盖: from B01
    assert (rule.radius_m, rule.days, rule.source) == (30, 30, "class_built_in")
    rule = category_duplicate_rule(s, street.categories["0102"])  # nothing set
    assert (rule.radius_m, rule.days, rule.source) == (50, 7, "default")


def test_a_manhole_40_m_away_is_another_one_but_noise_200_m_away_is_the_same(street):
    manhole = _file(street, "0505", 40, 1, "井盖缺失")
    noise = _file(street, "0107", 150, 1, "噪音")
    lon, lat = street.inside(0, 0.1, 0.5)
    s = street.session("dispatcher")
    assert manhole not in [d.report_id for d in check_report(s, ReportDraft(
        category="0505", lon=lon, lat=lat, reported_at=AT)).duplicates]
    assert [d.report_id for d in check_report(s, ReportDraft(
        category="0107", lon=lon, lat=lat, reported_at=AT)).duplicates] == [noise]


def test_candidates_are_ranked_by_distance_time_and_words(street):
    # 噪声扰民: R = 200 m, T = 3 days.  Scores worked out by hand with
    # 0.5(1 - d/R) + 0.3(1 - t/T) + 0.2 s (s: Dice of character bigrams):
    a = _file(street, "0107", 20, 2, "水泥搅拌施工声音")     # .45 + .10 + 0       = .550
    b = _file(street, "0107", 120, 0.5, "夜间KTV噪音扰民严重")  # .20 + .25 + .2·16/18 = .628
    c = _file(street, "0107", 60, 2.5, "夜间噪音")           # .35 + .05 + .2·4/11  = .473
    _file(street, "0107", 250, 0.1, "夜间KTV噪音扰民")        # beyond 200 m
    _file(street, "0107", 10, 4, "夜间KTV噪音扰民")           # older than 3 days
    _file(street, "0101", 5, 0.1, "夜间KTV噪音扰民")          # another category
    lon, lat = street.inside(0, 0.1, 0.5)
    check = check_report(street.session("dispatcher"), ReportDraft(
        category="0107", lon=lon, lat=lat, reported_at=AT, description="夜间KTV噪音扰民"))
    assert [d.report_id for d in check.duplicates] == [b, a, c]
    assert [round(d.score, 3) for d in check.duplicates] == [0.628, 0.55, 0.473]
    # without the words, the nearest comes first
    found = find_near_duplicates(street.session("dispatcher"), lon, lat,
                                 street.categories["0107"], AT)
    assert [d.report_id for d in found] == [a, b, c]


def test_text_similarity_of_chinese_needs_no_word_list():
    assert text_similarity("井盖缺失", "井盖丢失") == pytest.approx(2 / 6)
    assert text_similarity("井盖缺失！", "井盖 缺失") == 1.0
    assert text_similarity("", "井盖") == 0.0
    assert text_similarity("路灯不亮", "井盖缺失") == 0.0


def test_the_office_edits_a_category_radius_audited_and_checked(street):
    office, cat = street.session("office"), street.categories["0102"]
    changes = set_category_duplicate_rule(office, cat, 300, 2)
    assert changes["duplicate_radius_m"] == [None, 300.0]
    rule = category_duplicate_rule(office, cat)
    assert (rule.radius_m, rule.days, rule.source) == (300, 2, "category")
    assert street.store.scalar(
        "SELECT count(*) FROM audit_log WHERE table_name = 'category' AND row_id = ?",
        (cat,)) >= 1
    for radius, days in ((0, 2), (300, 0), (5000, 2)):
        with pytest.raises(ValidationError):
            set_category_duplicate_rule(office, cat, radius, days)
    with pytest.raises(PermissionDenied):
        set_category_duplicate_rule(street.session("manager"), cat, 10, 1)
    rule = category_duplicate_rule(office, cat)
    assert (rule.radius_m, rule.days) == (300, 2)
    set_category_duplicate_rule(office, cat, None, None)  # back to the default
    assert category_duplicate_rule(office, cat).source == "default"
    # a class's value reaches its sub-categories that set none of their own
    set_category_duplicate_rule(office, street.categories["01"], 80, 5)
    rule = category_duplicate_rule(office, cat)
    assert (rule.radius_m, rule.days, rule.source) == (80, 5, "class")
