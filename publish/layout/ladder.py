"""The headline ladder: Chinese type sizes (号) from 初号 down, and the rules a page's headlines
keep on it — the lead's 主题 at least two steps above any other on its page, a 引题 or 副题 two
steps below its own 主题.
"""

from __future__ import annotations

from ..clreq import HAO_SIZES as SIZES
from ..clreq import hao_step as step

STEPS_BELOW_LEAD = 2
STEPS_BELOW_TITLE = 2


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
