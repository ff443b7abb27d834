"""Pages as the paper printed them (`--pages keep`): one page per 版次, in page order, each with
its own articles; articles of no known 版次 flow after them. (Under `--pages auto` the articles
flow in 版次 order instead, and each page takes what fills it: `newspaper.lay_out_flowing`.)
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
        """The 版次 printed in the running head: 3, or 2–3 for a page that holds two."""
        if not self.labels:
            return "?"  # a flowing page: labelled once its articles are placed
        if len(self.labels) == 1:
            return self.labels[0]
        return f"{self.labels[0]}–{self.labels[-1]}"


def plan_pages(known: dict[int, list[int]], labels: dict[int, tuple[str, str]], unknown: list[int]) -> list[PageJob]:
    """The pages of an issue as printed: `known` articles by page number with their labels and
    names; the `unknown` ones (weight order) go on from the last of them."""
    jobs = [PageJob([number], [labels[number][0]], labels[number][1], list(known[number])) for number in sorted(known)]
    if unknown:
        if not jobs:
            jobs.append(PageJob([1], ["1"], ""))
        jobs[-1].flowing = True
    return jobs
