"""Accessibility of each page type: axe-core finds no serious or critical violation; the first
Tab reaches a skip link that takes the focus to the main content; focus is visible on what Tab
reaches."""

from __future__ import annotations

import pytest

from tests.validators import need

from .site_facts import KINDS, page_types

SKIP = """() => { const a = document.activeElement; const href = a && a.getAttribute('href');
  if (!a || a.tagName !== 'A' || !href || !href.startsWith('#')) return {error: 'the first Tab reaches ' + (a ? a.outerHTML.slice(0, 80) : 'nothing')};
  const target = document.getElementById(decodeURIComponent(href.slice(1)));
  const main = document.querySelector('main');
  if (!main) return {error: 'the page has no <main>'};
  if (!target || !(target === main || main.contains(target))) return {error: href + ' does not lead to <main>'};
  return {href}; }"""
IN_MAIN = "() => { const m = document.querySelector('main'); return !!m && (document.activeElement === m || m.contains(document.activeElement)); }"
# what shows focus on an element (outline, ring, stroke, fill, colours) and on what it holds
LOOK = """e => [e, ...e.querySelectorAll('*')].map(x => { const s = getComputedStyle(x);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.stroke, s.strokeWidth, s.fill, s.backgroundColor, s.color, s.textDecorationLine, s.opacity].join(' '); }).join(';')"""


def open_page(new_context, server, site, kind):
    where = page_types(site)[kind]
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(server.url(where))
    return page, where


@pytest.mark.parametrize("kind", KINDS)
def test_axe_finds_no_serious_or_critical_violation(kind, examples_site, examples_server, new_context):
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        Axe = None
    need(Axe is not None, "axe-playwright-python is not installed (pip install -e '.[test]')")
    page, where = open_page(new_context, examples_server, examples_site, kind)
    page.wait_for_load_state("load")
    found = Axe().run(page).response["violations"]
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(n['target'][0] for n in v['nodes'][:3])}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{where}:\n" + "\n".join(serious)


@pytest.mark.parametrize("kind", KINDS)
def test_the_first_tab_is_a_skip_link_to_the_main_content(kind, examples_site, examples_server, new_context):
    page, where = open_page(new_context, examples_server, examples_site, kind)
    page.keyboard.press("Tab")
    skip = page.evaluate(SKIP)
    assert "error" not in skip, f"{where}: {skip['error']}"
    page.keyboard.press("Enter")
    if not page.evaluate(IN_MAIN):
        page.keyboard.press("Tab")  # main itself takes no focus: the next Tab starts there
    assert page.evaluate(IN_MAIN), (
        f"{where}: after the skip link the focus is on {page.evaluate('() => document.activeElement.outerHTML.slice(0, 80)')}"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_focus_is_visible_on_what_tab_reaches(kind, examples_site, examples_server, new_context):
    page, where = open_page(new_context, examples_server, examples_site, kind)
    page.evaluate("() => { window.__tabbed = []; }")  # native media controls draw their own focus ring
    for _ in range(15):
        page.keyboard.press("Tab")
        page.evaluate(
            f"() => {{ const e = document.activeElement; if (e && e !== document.body && !e.matches('audio, video') && !window.__tabbed.some(([x]) => x === e)) window.__tabbed.push([e, ({LOOK})(e)]); }}"
        )
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.mouse.move(0, 0)
    unseen = page.evaluate(
        f"() => window.__tabbed.filter(([e, look]) => ({LOOK})(e) === look).map(([e]) => e.outerHTML.slice(0, 100))"
    )
    reached = page.evaluate("() => window.__tabbed.length")
    assert reached, f"{where}: Tab reaches nothing"
    assert not unseen, f"{where}: {len(unseen)} of {reached} elements look the same focused and not:\n" + "\n".join(unseen)
