"""An article whose headline and body are markup meant to run (an <img onerror>, a <script>, an
<svg onload> breaking out of an attribute): on every page of its site nothing of it runs, it
shows as the text it is, a Content-Security-Policy allows only the site's own scripts (and none of
them is refused), and no request leaves the local server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import _build, serve
from .site_facts import html_files, issues, normal, records

HEADLINE = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=2</script>"
BREAKOUT = '"><svg onload=window.__pwned=3>'
# Markdown would drop raw HTML as tags: its backslash escapes make the same characters text
ARTICLE = """---
paper: 青梧日报
date: 2026-11-22
page: 1
page_name: 要闻
author: 本报记者 试写
---

# \\<img src=x onerror="window.__pwned=1">

社区菜市场改造完工，摊位重新编号，通道也拓宽了。\\<script>window.__pwned=2\\</script>

住在附近的居民说："\\>\\<svg onload=window.__pwned=3> 买菜比以前方便多了。

改造期间，临时摊点照常营业，居民买菜没有受到影响。
"""
WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"""
PAGE = """() => ({
  pwned: typeof window.__pwned === 'undefined' ? null : String(window.__pwned),
  violations: window.__violations,
  handlers: [...document.querySelectorAll('[onerror], [onload], [onclick]')].map(e => e.outerHTML.slice(0, 80)),
  inline: [...document.scripts].filter(s => !s.src && !/json/.test(s.type)).map(s => s.textContent.slice(0, 80)),
  csp: [...document.querySelectorAll('meta[http-equiv]')].filter(m => /^content-security-policy$/i.test(m.httpEquiv)).map(m => m.content),
  text: document.body.innerText,
})"""
LAX = ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:", "blob:")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, chromium_ready) -> Path:
    """A site built (offline voice) from the one hostile Markdown article, or $PUBLISH_TEST_HOSTILE_SITE."""
    given = os.environ.get("PUBLISH_TEST_HOSTILE_SITE")
    if given:
        return Path(given)
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "articles").mkdir()
    (folder / "articles" / "2026-11-22-market.md").write_text(ARTICLE, encoding="utf-8")
    return _build(folder / "articles", folder / "site")


def script_policy(content: str) -> list[str]:
    """The sources a CSP lets scripts come from (script-src, else default-src)."""
    directives = {part.split()[0].lower(): part.split()[1:] for part in content.split(";") if part.split()}
    return directives.get("script-src", directives.get("default-src", ["*"]))


def test_hostile_text_runs_nothing_and_shows_as_text(hostile_site, new_context):
    record = next(r for issue in issues(hostile_site) for r in records(issue))
    assert record["title"] == HEADLINE and SCRIPT in record["text"] and BREAKOUT in record["text"], (
        f"the record lost the hostile text: {record['title']!r}"
    )
    context = new_context()
    outside: list[str] = []
    errors: list[str] = []
    with serve(hostile_site) as server:

        def only_local(route):
            if route.request.url.startswith(server.origin + "/"):
                return route.continue_()
            outside.append(route.request.url)
            return route.abort()

        context.route("**/*", only_local)
        context.add_init_script(WATCH)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        problems = []
        for name in html_files(hostile_site):
            page.goto(server.url(name), wait_until="load")
            page.wait_for_timeout(100)
            seen = page.evaluate(PAGE)
            if seen["pwned"] is not None:
                problems.append(f"{name}: window.__pwned = {seen['pwned']}")
            problems += [f"{name}: {kind}: {found}" for kind in ("violations", "handlers", "inline") for found in seen[kind]]
            if not seen["csp"]:
                problems.append(f"{name}: no Content-Security-Policy")
            problems += [
                f"{name}: the CSP lets scripts come from {lax}" for csp in seen["csp"] for lax in LAX if lax in script_policy(csp)
            ]
            if name.endswith(f"{record['part']}/index.html"):
                shown = normal(seen["text"])
                problems += [
                    f"{name}: {text!r} does not show as text"
                    for text in (HEADLINE, SCRIPT, BREAKOUT)
                    if normal(text) not in shown
                ]
    problems += [f"script error: {error}" for error in errors] + [f"a request outside the site: {url}" for url in outside]
    assert not problems, "\n".join(problems)
