"""The Chinese lunisolar (农历) date of a Gregorian day, from a compact table, for an issue's date line."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

FIRST_DAY = dt.date(1901, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)

# 正月初一 of lunar year 1900 (庚子), where _YEAR_INFO starts.
_EPOCH = dt.date(1900, 1, 31)

# One entry per lunar year 1900–2099 (the year whose 正月初一 falls in that Gregorian year):
# low 4 bits the leap month (0: none); bit 0x10000 >> m set when month m has 30 days, else 29;
# bit 0x10000 set when the leap month has 30 days. This is the common 1900–2100 table as
# corrected in jjonline/calendar.js (1933, 1954, 1978 and 2057 differ from older copies, such as
# lunardate 0.3's); it agrees day for day with lunar-python's astronomical calendar, 1901–2099.
_YEAR_INFO = (
    0x04BD8, 0x04AE0, 0x0A570, 0x054D5, 0x0D260, 0x0D950, 0x16554, 0x056A0, 0x09AD0, 0x055D2,  # 1900
    0x04AE0, 0x0A5B6, 0x0A4D0, 0x0D250, 0x1D255, 0x0B540, 0x0D6A0, 0x0ADA2, 0x095B0, 0x14977,  # 1910
    0x04970, 0x0A4B0, 0x0B4B5, 0x06A50, 0x06D40, 0x1AB54, 0x02B60, 0x09570, 0x052F2, 0x04970,  # 1920
    0x06566, 0x0D4A0, 0x0EA50, 0x16A95, 0x05AD0, 0x02B60, 0x186E3, 0x092E0, 0x1C8D7, 0x0C950,  # 1930
    0x0D4A0, 0x1D8A6, 0x0B550, 0x056A0, 0x1A5B4, 0x025D0, 0x092D0, 0x0D2B2, 0x0A950, 0x0B557,  # 1940
    0x06CA0, 0x0B550, 0x15355, 0x04DA0, 0x0A5B0, 0x14573, 0x052B0, 0x0A9A8, 0x0E950, 0x06AA0,  # 1950
    0x0AEA6, 0x0AB50, 0x04B60, 0x0AAE4, 0x0A570, 0x05260, 0x0F263, 0x0D950, 0x05B57, 0x056A0,  # 1960
    0x096D0, 0x04DD5, 0x04AD0, 0x0A4D0, 0x0D4D4, 0x0D250, 0x0D558, 0x0B540, 0x0B6A0, 0x195A6,  # 1970
    0x095B0, 0x049B0, 0x0A974, 0x0A4B0, 0x0B27A, 0x06A50, 0x06D40, 0x0AF46, 0x0AB60, 0x09570,  # 1980
    0x04AF5, 0x04970, 0x064B0, 0x074A3, 0x0EA50, 0x06B58, 0x05AC0, 0x0AB60, 0x096D5, 0x092E0,  # 1990
    0x0C960, 0x0D954, 0x0D4A0, 0x0DA50, 0x07552, 0x056A0, 0x0ABB7, 0x025D0, 0x092D0, 0x0CAB5,  # 2000
    0x0A950, 0x0B4A0, 0x0BAA4, 0x0AD50, 0x055D9, 0x04BA0, 0x0A5B0, 0x15176, 0x052B0, 0x0A930,  # 2010
    0x07954, 0x06AA0, 0x0AD50, 0x05B52, 0x04B60, 0x0A6E6, 0x0A4E0, 0x0D260, 0x0EA65, 0x0D530,  # 2020
    0x05AA0, 0x076A3, 0x096D0, 0x04AFB, 0x04AD0, 0x0A4D0, 0x1D0B6, 0x0D250, 0x0D520, 0x0DD45,  # 2030
    0x0B5A0, 0x056D0, 0x055B2, 0x049B0, 0x0A577, 0x0A4B0, 0x0AA50, 0x1B255, 0x06D20, 0x0ADA0,  # 2040
    0x14B63, 0x09370, 0x049F8, 0x04970, 0x064B0, 0x168A6, 0x0EA50, 0x06B20, 0x1A6C4, 0x0AAE0,  # 2050
    0x092E0, 0x0D2E3, 0x0C960, 0x0D557, 0x0D4A0, 0x0DA50, 0x05D55, 0x056A0, 0x0A6D0, 0x055D4,  # 2060
    0x052D0, 0x0A9B8, 0x0A950, 0x0B4A0, 0x0B6A6, 0x0AD50, 0x055A0, 0x0ABA4, 0x0A5B0, 0x052B0,  # 2070
    0x0B273, 0x06930, 0x07337, 0x06AA0, 0x0AD50, 0x14B55, 0x04B60, 0x0A570, 0x054E4, 0x0D160,  # 2080
    0x0E968, 0x0D520, 0x0DAA0, 0x16AA6, 0x056D0, 0x04AE0, 0x0A9D4, 0x0A2D0, 0x0D150, 0x0F252,  # 2090
)  # fmt: skip

_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ANIMALS = "鼠牛虎兔龙蛇马羊猴鸡狗猪"
_MONTH_NAMES = ("正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "冬月", "腊月")
_DAY_NAMES = (
    "初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
    "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
    "廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十",
)  # fmt: skip
_WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class LunarDate:
    """A day of the Chinese calendar: year is the Gregorian year in which that lunar year began."""

    year: int
    month: int
    day: int
    leap: bool = False

    def __post_init__(self) -> None:
        if not (1 <= self.month <= 12 and 1 <= self.day <= 30):
            raise ValueError(f"no lunar month {self.month} day {self.day}: months run 1–12 and days 1–30")

    @property
    def ganzhi(self) -> str:
        """The year's stem-branch (干支) name, e.g. "壬寅"."""
        return _STEMS[(self.year - 4) % 10] + _BRANCHES[(self.year - 4) % 12]

    @property
    def zodiac(self) -> str:
        """The year's animal (生肖), e.g. "虎"."""
        return _ANIMALS[(self.year - 4) % 12]

    @property
    def month_name(self) -> str:
        """The month as printed, e.g. "三月", "闰二月", "冬月", "腊月"."""
        return ("闰" if self.leap else "") + _MONTH_NAMES[self.month - 1]

    @property
    def day_name(self) -> str:
        """The day as printed, e.g. "初一", "二十", "廿七"."""
        return _DAY_NAMES[self.day - 1]

    def __str__(self) -> str:
        return f"{self.ganzhi}年{self.month_name}{self.day_name}"


@cache
def _months() -> tuple[tuple[int, ...], tuple[tuple[int, int, bool], ...]]:
    """The ordinal of every lunar month's first day from 1900 正月 on, and its (year, month, leap)."""
    starts: list[int] = []
    names: list[tuple[int, int, bool]] = []
    ordinal = _EPOCH.toordinal()
    for year, info in enumerate(_YEAR_INFO, start=1900):
        leap_month = info & 0xF
        for month in range(1, 13):
            starts.append(ordinal)
            names.append((year, month, False))
            ordinal += 30 if info & (0x10000 >> month) else 29
            if month == leap_month:
                starts.append(ordinal)
                names.append((year, month, True))
                ordinal += 30 if info & 0x10000 else 29
    return tuple(starts), tuple(names)


def to_lunar(day: dt.date) -> LunarDate:
    """The 农历 date of a Gregorian day from 1901-01-01 to 2099-12-31 (ValueError outside)."""
    if isinstance(day, dt.datetime):
        day = day.date()
    if not isinstance(day, dt.date):
        raise TypeError(f"to_lunar() needs a datetime.date, not {type(day).__name__}")
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"no 农历 date for {day.isoformat()}: the table covers {FIRST_DAY} to {LAST_DAY}")
    starts, names = _months()
    ordinal = day.toordinal()
    index = bisect_right(starts, ordinal) - 1
    year, month, leap = names[index]
    return LunarDate(year, month, ordinal - starts[index] + 1, leap)


def weekday_cn(day: dt.date) -> str:
    """The day of the week in Chinese: "星期一" … "星期六", "星期日"."""
    return "星期" + _WEEKDAYS[day.weekday()]


def issue_date_line(day: dt.date) -> str:
    """The masthead date line, e.g. "2022年4月27日 星期三 农历壬寅年三月廿七"."""
    return f"{day.year}年{day.month}月{day.day}日 {weekday_cn(day)} 农历{to_lunar(day)}"
