"""The page view (版面): at phone, tablet and desktop widths, clicking the centre of each article's
area opens that article; a page has one area per article on it (as pages.json and the PDF's own
text say); the areas are reached with Tab and show where the focus is."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from .site_facts import issue_pdf, page_entry, page_views, records

# A point of the area's rect (viewBox units, from the page's top-left) on the screen, scrolled into
# view, where the area is what the reader's click hits: the rect's centre, else the nearest point of
# a grid over it; null when the area is hidden there everywhere.
POINT = """({id, rects}) => {
  const area = document.getElementById(id);
  if (!area) return {error: 'no element #' + id};
  const svg = area.ownerSVGElement;
  const screen = (x, y) => { const p = svg.createSVGPoint(); p.x = x; p.y = y; return p.matrixTransform(svg.getScreenCTM()); };
  const hits = (x, y) => { const e = document.elementFromPoint(x, y); return !!e && e.closest('a') === area; };
  const sorted = [...rects].sort((a, b) => b[2] * b[3] - a[2] * a[3]);
  for (const [x, y, w, h] of sorted) {
    const points = [[0.5, 0.5]];
    for (const fx of [0.1, 0.3, 0.5, 0.7, 0.9]) for (const fy of [0.1, 0.3, 0.5, 0.7, 0.9]) points.push([fx, fy]);
    for (const [fx, fy] of points) {
      const at = screen(x + w * fx, y + h * fy);
      window.scrollBy(at.x - innerWidth / 2, at.y - innerHeight / 2);
      const seen = screen(x + w * fx, y + h * fy);
      if (seen.x >= 0 && seen.y >= 0 && seen.x < innerWidth && seen.y < innerHeight && hits(seen.x, seen.y))
        return {x: seen.x, y: seen.y, centre: fx === 0.5 && fy === 0.5};
    }
  }
  return {error: 'hidden under other elements at every point of its rects'};
}"""
HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]")
AREAS = """() => [...document.querySelectorAll('svg.areas a.area')].map(a => ({
  id: a.id, href: a.getAttribute('href'), label: a.getAttribute('aria-label') || '', url: new URL(a.getAttribute('href'), document.baseURI).href}))"""


def views_with(site: Path) -> list[tuple[Path, dict, list[dict]]]:
    """Each page view with its pages.json entry and its issue's records."""
    return [(view, page_entry(view), records(view.parent)) for view in page_views(site)]


def click_every_area(page, site: Path, server) -> tuple[list[str], int]:
    """Click each area of every page view at a point where it is what the click hits; the
    problems (an area hidden, a click that stays) and how many clicks opened their article."""
    problems, clicked = [], 0
    for view, entry, articles in views_with(site):
        url = server.url(view.relative_to(site))
        for area in entry["areas"]:
            part = articles[area["article"]]["part"]
            page.goto(url)
            point = page.evaluate(POINT, {"id": f"area-{part}", "rects": area["rects"]})
            if "error" in point:
                problems.append(f"{view.name} area-{part}: {point['error']}")
                continue
            expected = server.url((view.parent / part / "index.html").relative_to(site))
            page.mouse.click(point["x"], point["y"])
            try:
                page.wait_for_url(
                    lambda now, expected=expected: now.split("#")[0] == expected, wait_until="commit", timeout=5_000
                )
                clicked += 1
            except Exception:
                problems.append(
                    f"{view.name}: a click at ({point['x']:.0f}, {point['y']:.0f}) on area-{part} stayed at {page.url}"
                )
    return problems, clicked


@pytest.mark.parametrize("width", [360, 768, 1280])
def test_clicking_the_centre_of_an_area_opens_its_article(examples_site, examples_server, new_context, width):
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    problems, clicked = click_every_area(page, examples_site, examples_server)
    assert not problems, f"at {width} px:\n" + "\n".join(problems)
    assert clicked, f"no areas to click on the page views of {examples_site}"


def pdf_articles(pdf: Path, index: int, articles: list[dict]) -> set[int]:
    """The articles whose printed text the PDF has on page `index` (0-based): at least three
    10-character runs of their blocks (whitespace dropped: Chinese lines break anywhere), each
    mostly Han, so a running head's date or address, or one stock phrase, is not an article."""

    def squeeze(text: str) -> str:
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))

    document = pdfium.PdfDocument(pdf)
    try:
        text = squeeze(document[index].get_textpage().get_text_range())
    finally:
        document.close()
    found = set()
    for number, article in enumerate(articles):
        body = [squeeze(block["text"]) for block in article["blocks"]]
        windows = {run[i : i + 10] for run in body if len(run) >= 10 for i in range(0, len(run) - 9, 5)}
        han = [window for window in windows if len(HAN.findall(window)) >= 6]
        if sum(window in text for window in han) >= 3:
            found.add(number)
    return found


def test_a_page_has_one_area_per_article_printed_on_it(examples_site, examples_server, new_context):
    page = new_context().new_page()
    problems = []
    for view, entry, articles in views_with(examples_site):
        page.goto(examples_server.url(view.relative_to(examples_site)))
        shown = page.evaluate(AREAS)
        listed = [articles[area["article"]] for area in entry["areas"]]
        printed = pdf_articles(issue_pdf(view.parent), entry["number"] - 1, articles)
        where = f"{view.parent.name}/{view.name}"
        if sorted(a["href"] for a in shown) != sorted(f"{a['part']}/index.html" for a in listed):
            problems.append(
                f"{where}: areas link to {sorted(a['href'] for a in shown)}, pages.json lists {[a['part'] for a in listed]}"
            )
        if {area["article"] for area in entry["areas"]} != printed:
            problems.append(
                f"{where}: pages.json has areas of articles {sorted(a['article'] for a in entry['areas'])}, the PDF page prints {sorted(printed)}"
            )
        titles = {f"{a['part']}/index.html": a["title"] for a in listed}
        problems += [
            f"{where}: area {a['id']} is named {a['label']!r}, not its headline"
            for a in shown
            if a["href"] in titles and a["label"] != titles[a["href"]]
        ]
        problems += [
            f"{where}: area {a['id']} should be area-{a['href'].split('/')[0]}"
            for a in shown
            if a["id"] != f"area-{a['href'].split('/')[0]}"
        ]
    assert not problems, "\n".join(problems)


# what shows focus on an element and its shapes (outline, ring, stroke, fill)
LOOK = """e => [e, ...e.querySelectorAll('*')].map(x => { const s = getComputedStyle(x);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.stroke, s.strokeWidth, s.fill, s.backgroundColor, s.opacity].join(' '); }).join(';')"""


def test_the_areas_are_reached_with_tab_and_show_focus(examples_site, examples_server, new_context):
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    problems = []
    for view, _entry, _articles in views_with(examples_site):
        page.goto(examples_server.url(view.relative_to(examples_site)))
        areas = set(page.evaluate("() => [...document.querySelectorAll('svg.areas a.area')].map(a => a.id)"))
        focused: dict[str, str] = {}
        budget = (
            page.evaluate("() => document.querySelectorAll('a[href], button, input, [tabindex], audio[controls]').length") + 5
        )
        for _ in range(budget):
            page.keyboard.press("Tab")
            now = page.evaluate("() => document.activeElement.matches('a.area') ? document.activeElement.id : null")
            if now and now not in focused:
                focused[now] = page.evaluate(f"() => ({LOOK})(document.activeElement)")
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        for ident in sorted(areas - set(focused)):
            problems.append(f"{view.name}: Tab never reaches #{ident}")
        for ident, look in focused.items():
            if page.evaluate(f"id => ({LOOK})(document.getElementById(id))", ident) == look:
                problems.append(f"{view.name}: #{ident} looks the same focused and not (no visible focus)")
    assert not problems, "\n".join(problems)
