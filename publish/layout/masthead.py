"""Page furniture: page 1's masthead (the paper's name or logo, registration numbers, the ear,
the date line) and the running head over every other page. All of it is artifact text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..issue import IssueFacts
from ..typeset.display import compose_display
from ..typeset.fonts import FontStack
from .grid import Grid
from .lunar import issue_date_line, weekday_cn
from .page import Colour, Drawn, Link, Page, PlacedImage, Rule, box_rules
from .template import Template

DIGEST_LEAST = 2  # inside stories the 导读 needs to take the ear's place (fewer: the ear keeps the counts)
DIGEST_MOST = 6


@dataclass(frozen=True)
class DigestEntry:
    """One line of page 1's 导读: an inside story's headline, the 版次 it starts on, and the
    destination its link goes to."""

    title: str
    label: str
    key: str


def furnish(
    pages: list[Page],
    grid: Grid,
    template: Template,
    facts: IssueFacts,
    fonts: FontStack,
    digest: list[DigestEntry] | None = None,
) -> None:
    """The masthead on the first page (with the 导读 of `digest` in its ear), a running head on
    each other. 今日N版 counts the pages printed (the highest 版次 of the articles says nothing
    of pages without articles), unless the paper's facts give the number."""
    if facts.pages is None:
        facts = replace(facts, pages=len(pages))
    for n, page in enumerate(pages):
        if n == 0:
            masthead(page, grid, template, facts, fonts, digest or [])
        else:
            running_head(page, grid, template, facts, fonts)


def _text(
    page: Page,
    fonts: FontStack,
    text: str,
    role: str,
    size: float,
    x: float,
    baseline: float,
    measure: float,
    align: str,
    colour: Colour | None = None,
) -> float:
    """Set `text` on `page` from `baseline` down; the baseline a next line would take."""
    lines = compose_display(text, role, size, measure, fonts, "masthead", align=align)
    for line in lines:
        page.lines.append(Drawn(line, x, baseline, artifact=True, colour=colour))
        baseline -= size * 1.3
    return baseline


def masthead(
    page: Page, grid: Grid, template: Template, facts: IssueFacts, fonts: FontStack, digest: list[DigestEntry] | None = None
) -> None:
    """Page 1's masthead in the rows the template keeps for it above the articles; its ear (报眼)
    holds the 导读 when the issue has inside stories enough, else the counts."""
    top = grid.height - grid.top
    bottom = grid.baseline(template.masthead["rows"] - 1) - 0.3 * grid.pitch
    _name(page, grid, template, facts, fonts, top, bottom)
    registration = [f"国内统一刊号 {facts.cn}" if facts.cn else "", f"邮发代号 {facts.post_code}" if facts.post_code else ""]
    counts = [
        f"今日{facts.pages}版" if facts.pages else "",
        f"总第{facts.issue_number}期" if facts.issue_number else "",
        facts.website,
    ]
    left_style = template.masthead["style"] == "left"
    boxed = counts if not left_style else registration + counts  # left: the name takes the left side
    if not left_style:
        y = top - grid.size * 2
        for text in filter(None, registration):
            y = _text(page, fonts, text, "body", grid.size, grid.left, y, _side(grid), "left")
    ear = [e for e in boxed if e] if template.masthead.get("ear", True) else []
    if ear and digest and len(digest) >= DIGEST_LEAST:
        _digest(page, grid, template, fonts, digest, top, bottom)
        ear = []
    elif ear:
        _ear(page, grid, template, fonts, ear, top)
    _date_line(page, grid, template, facts, fonts, [] if ear else boxed, bottom)


def _side(grid: Grid) -> float:
    """The width of the masthead's sides (a quarter of the columns): registration, the ear."""
    return grid.span(max(1, grid.columns // 4))


def _name(page: Page, grid: Grid, template: Template, facts: IssueFacts, fonts: FontStack, top: float, bottom: float) -> None:
    """The paper's name, set large — or its logo in the box the name would take."""
    size = template.masthead["name_size"]
    width, left, side = grid.type_width, grid.left, _side(grid)
    name_baseline = top - (top - bottom) * 0.55 - size * 0.35
    if template.masthead["style"] == "left":
        name_left, name_width = left, width - side
    else:
        name_left, name_width = left + side, width - 2 * side
    if facts.logo:
        height = size * 1.15
        page.images.append(PlacedImage(facts.logo, name_left, name_baseline - size * 0.2, name_width, height))
    else:
        align = "left" if template.masthead["style"] == "left" else "center"
        name = facts.name or "新闻"
        _text(page, fonts, name, "masthead", size, name_left, name_baseline, name_width, align, template.colours["masthead"])


def _ear(page: Page, grid: Grid, template: Template, fonts: FontStack, ear: list[str], top: float) -> None:
    """The 报眼: counts (and registration) at the right of the name, in a thin box."""
    body, left, width = grid.size, grid.left, grid.type_width
    side = _side(grid)
    x0 = left + width - side
    y = top - body * 2
    for text in ear:
        y = _text(page, fonts, text, "body", body, x0, y, side, "right")
    page.rules += box_rules(x0 - body * 0.5, y + body * 0.3, left + width + body * 0.5, top - body * 0.2, template.rule_width / 2)


def _digest(
    page: Page, grid: Grid, template: Template, fonts: FontStack, digest: list[DigestEntry], top: float, bottom: float
) -> None:
    """The 导读 in the ear: 导读, then each inside story's headline and its 版次, linked to where
    it starts, as many as the ear holds; in a thin box."""
    body, left, width = grid.size, grid.left, grid.type_width
    side = _side(grid)
    x0 = left + width - side
    y = top - body * 1.6
    y = _text(page, fonts, "导读", "heading", template.sizes["heading"], x0, y, side, "left")
    floor = bottom + body * 2.4  # above the date line
    for entry in digest[:DIGEST_MOST]:
        label = f"第{entry.label}版"
        room = body * (len(label) + 1)
        lines = compose_display(entry.title, "body", body, side - room, fonts, "masthead", align="left")
        if y - body * 1.3 * (len(lines) - 1) < floor:
            break
        first = y
        for line in lines:
            page.lines.append(Drawn(line, x0, y, artifact=True))
            y -= body * 1.3
        _text(page, fonts, label, "body", body, x0 + side - room, y + body * 1.3, room, "right")
        page.links.append(Link(x0, y + body * 1.0, x0 + side, first + body, entry.key))
    page.rules += box_rules(x0 - body * 0.5, y + body * 0.3, left + width + body * 0.5, top - body * 0.2, template.rule_width / 2)


def _date_line(
    page: Page, grid: Grid, template: Template, facts: IssueFacts, fonts: FontStack, unboxed: list[str], bottom: float
) -> None:
    """The line under the name: the date (and 农历) on the left, what no ear holds and the
    publisher on the right; then the masthead's thick and thin rules."""
    body, left, width = grid.size, grid.left, grid.type_width
    date = issue_date_line(facts.date) if facts.date else ""
    bits = [p for p in [*unboxed, facts.publisher] if p]
    info_y = bottom + body * 0.9
    if date:
        _text(page, fonts, date, "body", body, left, info_y, width / 2, "left")
    if bits:
        _text(page, fonts, "　".join(bits), "body", body, left + width / 2, info_y, width / 2, "right")
    page.rules.append(Rule(left, bottom + body * 0.1, left + width, bottom + body * 0.1, template.rule_width * 2.5))
    page.rules.append(Rule(left, bottom - body * 0.25, left + width, bottom - body * 0.25, template.rule_width / 2))


SEVERAL_INKS_LEAST = 10.5  # pt (五号): type printed in two inks or more is no smaller, or the press's
# registration blurs it (NIAD: 10 pt; `publish check --press`'s press-type-size)


def running_head(page: Page, grid: Grid, template: Template, facts: IssueFacts, fonts: FontStack) -> None:
    """The date, the page's 版次 and 版名, and the paper's name over the type area, with a rule under them."""
    size = template.sizes["running_head"]
    baseline = grid.height - grid.top + size * 1.2
    width = grid.type_width
    left = grid.left
    date = f"{facts.date.year}年{facts.date.month}月{facts.date.day}日 {weekday_cn(facts.date)}" if facts.date else ""
    centre = f"第{page.label}版" + (f"　{page.name}" if page.name else "")
    _text(page, fonts, date or " ", "body", size, left, baseline, width / 3, "left")
    _text(page, fonts, centre, "heading", size, left + width / 3, baseline, width / 3, "center")
    name = facts.name or " "
    colour = template.colours["masthead"]
    name_size = max(size, SEVERAL_INKS_LEAST) if colour.inks > 1 else size
    _text(page, fonts, name, "masthead", name_size, left + 2 * width / 3, baseline, width / 3, "right", colour)
    y = baseline - size * 0.45
    page.rules.append(Rule(left, y, left + width, y, template.rule_width))
