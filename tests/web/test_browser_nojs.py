"""Reading without JavaScript: the page view's areas and the site's navigation still take the
reader places, the article's text and the native audio controls are there, and the search page
says it needs JavaScript."""

from __future__ import annotations

from .site_facts import normal, page_types, page_views, records
from .test_browser_pages import click_every_area

ARTICLE = """() => { const a = document.querySelector('audio[controls]');
  return {text: (document.querySelector('main') || document.body).innerText, audio: a ? new URL(a.getAttribute('src') || (a.querySelector('source') || {}).src || '', document.baseURI).href : null}; }"""
NAVIGATION = """() => [...document.querySelectorAll('nav a[href]')].map(a => new URL(a.getAttribute('href'), document.baseURI).href)
  .filter(u => u.split('#')[0] !== location.href.split('#')[0])"""
FIND = "t => [...document.querySelectorAll('nav a[href]')].findIndex(a => new URL(a.getAttribute('href'), document.baseURI).href === t)"


def test_the_area_links_navigate_without_javascript(examples_site, examples_server, new_context):
    page = new_context(java_script_enabled=False, viewport={"width": 768, "height": 900}).new_page()
    problems, clicked = click_every_area(page, examples_site, examples_server)
    assert not problems, "without JavaScript:\n" + "\n".join(problems)
    assert clicked


def test_the_navigation_links_navigate_without_javascript(examples_site, examples_server, new_context):
    page = new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900}).new_page()
    problems = []
    for kind, where in page_types(examples_site).items():
        url = examples_server.url(where)
        page.goto(url)
        targets = page.evaluate(NAVIGATION)
        if not targets:
            problems.append(f"{kind} ({where}): no <nav> link to another page")
            continue
        for target in targets[:6]:
            page.goto(url)
            index = page.evaluate(FIND, target)
            page.locator("nav a[href]").nth(index).click()
            try:
                page.wait_for_url(
                    lambda now, target=target: now.split("#")[0] == target.split("#")[0], wait_until="commit", timeout=5_000
                )
            except Exception:
                problems.append(f"{kind} ({where}): clicking the link to {target} stayed at {page.url}")
    assert not problems, "\n".join(problems)


def test_the_article_text_and_native_audio_controls_are_there_without_javascript(examples_site, examples_server, new_context):
    page = new_context(java_script_enabled=False).new_page()
    problems = []
    for view in page_views(examples_site)[:1]:
        for record in records(view.parent):
            folder = view.parent / record["part"]
            page.goto(examples_server.url((folder / "index.html").relative_to(examples_site)))
            shown = page.evaluate(ARTICLE)
            text = normal(shown["text"])
            missing = [block["text"][:30] for block in record["blocks"] if normal(block["text"]) not in text]
            if normal(record["title"]) not in text:
                missing.insert(0, f"the headline {record['title']}")
            if missing:
                problems.append(f"{record['part']}: not shown without JavaScript: {missing[:3]}")
            if (folder / "article.mp3").is_file():
                if not shown["audio"]:
                    problems.append(f"{record['part']}: no <audio controls>")
                elif context_status(page, shown["audio"]) not in (200, 206):
                    problems.append(f"{record['part']}: the player's audio {shown['audio']} does not load")
    assert not problems, "\n".join(problems)


def context_status(page, url: str) -> int:
    return page.context.request.fetch(url, method="HEAD").status


def test_the_search_page_says_it_needs_javascript(examples_site, examples_server, new_context):
    where = page_types(examples_site)["search"]
    page = new_context(java_script_enabled=False).new_page()
    page.goto(examples_server.url(where))
    assert "javascript" in page.inner_text("body").lower(), "without JavaScript the search page does not say that it needs it"
