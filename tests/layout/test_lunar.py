"""The 农历 date on the masthead: known days, new years, leap months, and every day 1901–2099."""

from __future__ import annotations

import datetime as dt

import pytest

from publish.layout.lunar import FIRST_DAY, LAST_DAY, LunarDate, issue_date_line, to_lunar, weekday_cn

ONE_DAY = dt.timedelta(days=1)

# 正月初一 of recent lunar years, with the year's 干支 and 生肖.
NEW_YEARS = [
    (dt.date(2020, 1, 25), "庚子", "鼠"),
    (dt.date(2021, 2, 12), "辛丑", "牛"),
    (dt.date(2022, 2, 1), "壬寅", "虎"),
    (dt.date(2023, 1, 22), "癸卯", "兔"),
    (dt.date(2024, 2, 10), "甲辰", "龙"),
    (dt.date(2025, 1, 29), "乙巳", "蛇"),
]

# The first day of a leap month, and the month it repeats.
LEAP_MONTHS = [
    (dt.date(2020, 5, 23), 4, "庚子年闰四月初一"),
    (dt.date(2023, 3, 22), 2, "癸卯年闰二月初一"),
    (dt.date(2025, 7, 25), 6, "乙巳年闰六月初一"),
]

# Four months that lunardate 0.3 starts one day off (on 1933-07-22, 1954-11-26, 1978-09-02 and
# 2057-09-28). The new moon, UTC+8 (PyEphem), falls on the day given here: 1933-07-23 00:03,
# 1954-11-25 20:30, 1978-09-03 00:09. In 2057 it is predicted seconds before midnight on 09-28, within
# the uncertainty of Earth's rotation by then: the Hong Kong Observatory's table (footnoted as possibly
# a day out), .NET's ChineseLunisolarCalendar and lunar-python begin 九月 on 09-29, and so do we.
LUNARDATE_DIFFERS = {
    dt.date(1933, 7, 23): LunarDate(1933, 6, 1),
    dt.date(1954, 11, 25): LunarDate(1954, 11, 1),
    dt.date(1978, 9, 3): LunarDate(1978, 8, 1),
    dt.date(2057, 9, 29): LunarDate(2057, 9, 1),
}


def test_issue_date_line_reads_like_a_newspaper_masthead():
    day = dt.date(2022, 4, 27)
    assert to_lunar(day) == LunarDate(2022, 3, 27, leap=False)
    assert str(to_lunar(day)) == "壬寅年三月廿七"
    assert issue_date_line(day) == "2022年4月27日 星期三 农历壬寅年三月廿七"


def test_date_line_numbers_are_not_zero_padded():
    assert issue_date_line(dt.date(2024, 2, 10)).startswith("2024年2月10日 星期六 农历甲辰年正月初一")


def test_a_datetime_gives_the_date_of_its_day():
    assert to_lunar(dt.datetime(2022, 4, 27, 23, 59)) == to_lunar(dt.date(2022, 4, 27))
    assert issue_date_line(dt.datetime(2022, 4, 27, 8, 0)) == issue_date_line(dt.date(2022, 4, 27))


def test_weekdays_run_monday_to_sunday_in_chinese():
    monday = dt.date(2022, 4, 25)
    week = [weekday_cn(monday + k * ONE_DAY) for k in range(7)]
    assert week == ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]


@pytest.mark.parametrize(("day", "ganzhi", "zodiac"), NEW_YEARS, ids=[str(d) for d, _, _ in NEW_YEARS])
def test_chinese_new_year_is_the_first_day_of_the_first_month(day, ganzhi, zodiac):
    lunar = to_lunar(day)
    assert lunar == LunarDate(day.year, 1, 1, leap=False)
    assert (lunar.ganzhi, lunar.zodiac) == (ganzhi, zodiac)
    assert str(lunar) == f"{ganzhi}年正月初一"


@pytest.mark.parametrize("day", [d for d, _, _ in NEW_YEARS], ids=[str(d) for d, _, _ in NEW_YEARS])
def test_the_eve_of_new_year_is_the_last_day_of_the_twelfth_month(day):
    eve = to_lunar(day - ONE_DAY)
    assert (eve.year, eve.month, eve.leap) == (day.year - 1, 12, False)
    assert eve.day in (29, 30)
    assert str(eve) == f"{eve.ganzhi}年腊月{'廿九' if eve.day == 29 else '三十'}"


@pytest.mark.parametrize(("day", "month", "text"), LEAP_MONTHS, ids=[str(d) for d, _, _ in LEAP_MONTHS])
def test_leap_months_are_printed_with_run(day, month, text):
    lunar = to_lunar(day)
    assert lunar == LunarDate(day.year, month, 1, leap=True)
    assert str(lunar) == text
    before = to_lunar(day - ONE_DAY)  # the leap month follows the ordinary month of the same number
    assert (before.year, before.month, before.leap) == (day.year, month, False) and before.day in (29, 30)


def test_every_new_year_falls_between_january_21_and_february_20():
    for year in range(FIRST_DAY.year + 1, LAST_DAY.year + 1):
        days = [dt.date(year, 1, 21) + k * ONE_DAY for k in range(31)]
        firsts = [d for d in days if to_lunar(d) == LunarDate(year, 1, 1)]
        assert len(firsts) == 1, year
        eve = to_lunar(firsts[0] - ONE_DAY)
        assert (eve.year, eve.month, eve.leap) == (year - 1, 12, False) and eve.day in (29, 30), year


def test_a_lunar_year_walks_through_the_twelve_month_names():
    day, firsts = dt.date(2022, 2, 1), []  # 壬寅 has no leap month
    while (lunar := to_lunar(day)).year == 2022:
        if lunar.day == 1:
            firsts.append(lunar.month_name)
        day += ONE_DAY
    assert firsts == ["正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "冬月", "腊月"]
    assert day == dt.date(2023, 1, 22)


def test_a_long_month_walks_through_the_thirty_day_names():
    start = dt.date(2022, 2, 1)  # 壬寅年正月 has 30 days
    names = [to_lunar(start + k * ONE_DAY).day_name for k in range(30)]
    assert names == [
        "初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
        "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
        "廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十",
    ]  # fmt: skip
    assert to_lunar(start + 30 * ONE_DAY) == LunarDate(2022, 2, 1)


def test_the_sixty_year_cycle_starts_again_in_1984():
    assert (LunarDate(1924, 1, 1).ganzhi, LunarDate(1984, 1, 1).ganzhi, LunarDate(2044, 1, 1).ganzhi) == ("甲子",) * 3
    assert LunarDate(1984, 1, 1).zodiac == "鼠" and LunarDate(1983, 1, 1).ganzhi == "癸亥"


@pytest.mark.parametrize("day", [FIRST_DAY - ONE_DAY, LAST_DAY + ONE_DAY, dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_days_outside_1901_to_2099_are_refused(day):
    with pytest.raises(ValueError, match="1901-01-01 to 2099-12-31"):
        to_lunar(day)
    with pytest.raises(ValueError):
        issue_date_line(day)


def test_the_first_and_last_supported_days_have_lunar_dates():
    assert to_lunar(FIRST_DAY).year == 1900 and to_lunar(LAST_DAY).year == 2099


def test_an_impossible_lunar_date_is_refused():
    with pytest.raises(ValueError):
        LunarDate(2022, 13, 1)
    with pytest.raises(ValueError):
        LunarDate(2022, 1, 31)


def test_every_day_1901_to_2099_matches_lunardate_except_four_known_months():
    lunardate = pytest.importorskip("lunardate")

    def fields(lunar):
        return (lunar.year, lunar.month, lunar.day, lunar.leap)

    mismatches = {}
    day = FIRST_DAY
    while day <= LAST_DAY:
        theirs = lunardate.LunarDate.from_solar_date(day.year, day.month, day.day)
        theirs = (theirs.year, theirs.month, theirs.day, theirs.is_leap_month)
        if fields(to_lunar(day)) != theirs:
            mismatches[day] = theirs
        day += ONE_DAY
    runs = []  # the disagreements, as runs of consecutive days
    for day in sorted(mismatches):
        if runs and runs[-1][-1] + ONE_DAY == day:
            runs[-1].append(day)
        else:
            runs.append([day])
    assert len(runs) == len(LUNARDATE_DIFFERS), [(run[0], run[-1]) for run in runs]
    for run, (first, ours) in zip(runs, sorted(LUNARDATE_DIFFERS.items()), strict=True):
        assert to_lunar(first) == ours
        assert first in (run[0], run[0] + ONE_DAY)  # lunardate starts that month one day early or late…
        assert to_lunar(run[-1] + ONE_DAY).day == 1 and len(run) <= 30  # …and agrees again from the next month
