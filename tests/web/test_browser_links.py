"""A reader following links: from index.html, every link and every file a page loads resolves
(HTTP 200/206), every HTML page the build wrote is reached, fragments name elements that exist,
and served under a `/sub/` prefix no link leaves it."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag

from .site_facts import html_files

# every URL a page links to or loads, resolved by the browser: (kind, url)
LINKS = """() => {
  const found = [];
  const add = (kind, value) => { if (value) found.push([kind, new URL(value, document.baseURI).href]); };
  const attr = (selector, name, kind) => {
    for (const e of document.querySelectorAll(selector)) add(kind, e.getAttribute(name));
  };
  attr('a[href]', 'href', 'a');
  attr('area[href]', 'href', 'a');
  for (const e of document.querySelectorAll('a')) add('a', e.getAttribute('xlink:href'));
  attr('link[href]', 'href', 'link');
  attr('img[src]', 'src', 'img');
  attr('audio[src], video[src], source[src]', 'src', 'media');
  attr('track[src]', 'src', 'track');
  attr('script[src]', 'src', 'script');
  attr('object[data]', 'data', 'object');
  attr('iframe[src]', 'src', 'iframe');
  for (const e of document.querySelectorAll('img[srcset], source[srcset]'))
    for (const part of e.getAttribute('srcset').split(',')) add('srcset', part.trim().split(/\\s+/)[0]);
  return found;
}"""
ELEMENT_IDS = "() => [...document.querySelectorAll('[id]')].map(e => e.id)"


@dataclass
class Crawl:
    """What the crawl saw: pages visited (path under the root), dead URLs, escapes, bad fragments."""

    pages: set[str] = field(default_factory=set)
    dead: list[str] = field(default_factory=list)
    escapes: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)


def is_page(path: str) -> bool:
    return path.endswith((".html", "/")) or path == ""


def crawl(context, server) -> Crawl:
    """Breadth-first from index.html: HTML pages opened in the browser, other files fetched."""
    page = context.new_page()
    seen: set[str] = set()
    queue = deque([server.url("index.html")])
    wanted: list[tuple[str, str, str]] = []  # (from page, target page URL, fragment)
    ids: dict[str, set[str]] = {}
    result = Crawl()
    while queue:
        url = queue.popleft()
        response = page.goto(url, wait_until="domcontentloaded")
        path = server.relative(url) or url
        if response is None or response.status != 200:
            result.dead.append(f"{url}: {response.status if response else 'no response'}")
            continue
        result.pages.add(path + "index.html" if path.endswith("/") or not path else path)
        ids[url] = set(page.evaluate(ELEMENT_IDS))
        for kind, link in page.evaluate(LINKS):
            target, fragment = urldefrag(link)
            if not target.startswith(("http:", "https:")):
                continue  # mailto:, data:, javascript: (none expected)
            under = server.relative(target)
            if under is None:
                if target.startswith(server.origin) or kind != "a":
                    result.escapes.append(f"{path}: {kind} {link}")
                continue
            if fragment and "=" not in fragment:
                wanted.append((path, target, fragment))
            if target in seen:
                continue
            seen.add(target)
            if kind == "a" and is_page(under):
                queue.append(target)
            else:
                status = context.request.fetch(target, method="HEAD").status
                if status not in (200, 206):
                    result.dead.append(f"{path}: {kind} {link}: {status}")
    result.fragments = [
        f"{where}: #{frag} is not an id in {server.relative(target)}"
        for where, target, frag in wanted
        if frag not in ids.get(target, {frag})
    ]
    page.close()
    return result


def check_crawl(site, server, context) -> None:
    result = crawl(context, server)
    missed = sorted(set(html_files(site)) - result.pages)
    problems = (
        [f"dead: {line}" for line in result.dead] + [f"leaves the site: {line}" for line in result.escapes] + result.fragments
    )
    problems += [f"never reached from index.html: {name}" for name in missed]
    if len(result.pages) < 3:
        problems.append(f"only {sorted(result.pages)} reached from index.html: the site has no links to its issues")
    assert not problems, f"{len(problems)} problems crawling {server.base}:\n" + "\n".join(problems[:40])


def test_every_page_is_reached_from_the_home_page_with_no_dead_link(examples_site, examples_server, new_context):
    check_crawl(examples_site, examples_server, new_context())


def test_served_under_a_prefix_no_link_leaves_it(examples_site, examples_sub_server, new_context):
    check_crawl(examples_site, examples_sub_server, new_context())
