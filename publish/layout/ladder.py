"""The headline ladder: Chinese type sizes (号) from 初号 down, and the rules a page's headlines
keep on it — the lead's 主题 at least two steps above any other on its page, a 引题 or 副题 two
steps below its own 主题.
"""

from __future__ import annotations

# 初号 小初 一号 小一 二号 小二 三号 小三 四号 小四 五号 小五 六号 小六 七号
SIZES = (42.0, 36.0, 26.0, 24.0, 22.0, 18.0, 16.0, 15.0, 14.0, 12.0, 10.5, 9.0, 7.5, 6.5, 5.5)
STEPS_BELOW_LEAD = 2
STEPS_BELOW_TITLE = 2


def step(size: float) -> int:
    """The ladder index of `size`: that of the largest 号 not bigger than it (0 is 初号)."""
    for index, value in enumerate(SIZES):
        if size >= value - 1e-6:
            return index
    return len(SIZES) - 1


def down(size: float, steps: int) -> float:
    """The size `steps` 号 below `size` (never below the ladder's foot)."""
    return SIZES[min(len(SIZES) - 1, step(size) + steps)]


def steps_between(larger: float, smaller: float) -> int:
    return step(smaller) - step(larger)


def title_sizes(sizes: dict[str, float], columns: int, page_columns: int, lead: bool) -> tuple[float, float]:
    """(主题, 引题/副题) sizes for a module `columns` wide: the lead's from `title_lead`, the
    others' from `title` (half the page wide or more) or `title_small`, kept two steps under the
    lead's; its kicker and subtitle two steps under its own 主题."""
    lead_size = sizes["title_lead"]
    if lead:
        title = lead_size
    else:
        title = sizes["title"] if columns * 2 >= page_columns else sizes["title_small"]
        title = min(title, down(lead_size, STEPS_BELOW_LEAD))
    return title, min(sizes["kicker"], down(title, STEPS_BELOW_TITLE))
