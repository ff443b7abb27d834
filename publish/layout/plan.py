"""Issue planning: which articles each page takes before the page search places them.

Articles with a 版次 keep their order and grouping. Under `pages="auto"` consecutive 版次 whose
copy would leave their pages under-filled share a page (its running head names both: 第2–3版),
and copy a page cannot hold goes on at the next; `pages="keep"` gives every 版次 its own page as
the paper printed it. Articles of no known 版次 flow after them, the heaviest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FULL_ENOUGH = 0.9  # a page whose own copy fills this much takes no other 版次
OVERFULL = 1.08  # merging may go this far over a page: the search shrinks photos and space to fit


@dataclass
class PageJob:
    """A page to lay out: its 版次 label(s) and 版名, its own articles (weight order), and whether
    it may take articles of no known page."""

    numbers: list[int]
    labels: list[str]
    name: str
    own: list[int] = field(default_factory=list)
    flowing: bool = False

    @property
    def label(self) -> str:
        """The 版次 printed in the running head: 3, or 2–3 for pages that share one."""
        if not self.labels:
            return "?"  # a flowing page: labelled once its articles are placed
        if len(self.labels) == 1:
            return self.labels[0]
        return f"{self.labels[0]}–{self.labels[-1]}"


def plan_pages(
    known: dict[int, list[int]],
    labels: dict[int, tuple[str, str]],
    unknown: list[int],
    demand: list[float],
    capacity: tuple[float, float],
    mode: str,
) -> list[PageJob]:
    """The pages of an issue: `known` articles by page number, their labels and names, the
    `unknown` ones in weight order; `demand` each article's cells, `capacity` a front and an
    inner page's cells."""
    jobs: list[PageJob] = []
    for number in sorted(known):
        label, name = labels[number]
        own = known[number]
        cells = sum(demand[i] for i in own)
        if mode == "auto" and jobs and _may_join(jobs[-1], cells, demand, capacity[0 if len(jobs) == 1 else 1]):
            job = jobs[-1]
            job.numbers.append(number)
            job.labels.append(label)
            job.name = job.name if not name or name == job.name else (f"{job.name}·{name}" if job.name else name)
            job.own += own
        else:
            jobs.append(PageJob([number], [label], name, list(own)))
    if unknown:
        if not jobs:
            jobs.append(PageJob([1], ["1"], ""))
        jobs[-1].flowing = True
    return jobs


def _may_join(job: PageJob, cells: float, demand: list[float], capacity: float) -> bool:
    """Whether a 版次 of `cells` may share the page `job` is building."""
    have = sum(demand[i] for i in job.own)
    return have < FULL_ENOUGH * capacity and have + cells <= OVERFULL * capacity
