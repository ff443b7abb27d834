"""Search over the real corpus in the browser: for 1-, 2- and 3-character queries and people's
names picked now from the corpus (frequent and rare characters and bigrams, bylines' names, a
Latin word in the other case, a query with no hit), the result links are exactly the articles
whose printed text contains the query, normalised as search.py documents (NFKC, lower case,
whitespace dropped)."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest

from .site_facts import issues, normal, records

pytestmark = pytest.mark.shared
HAN = re.compile(r"[\u3400-\u9fff]")
ROLES = re.compile(r"记者|通讯员|本报|评论员|摄影|编辑|实习|特约|报道|撰稿|整理|综合|新华社|电|讯")


def corpus_records(site: Path) -> dict[str, str]:
    """Each article's link from search.html (<issue>/<part>/index.html) and its search text."""
    return {f"{issue.name}/{record['part']}/index.html": record["text"] for issue in issues(site) for record in records(issue)}


def names(site: Path) -> list[str]:
    """People's names from the head bylines (runs of 2-4 Han characters that are no role)."""
    found = set()
    for issue in issues(site):
        for record in records(issue):
            for byline in record.get("bylines") or []:
                runs = (re.sub(r"摄$", "", run) for run in re.findall(r"[\u4e00-\u9fff]{2,5}", byline))
                found.update(run for run in runs if 2 <= len(run) <= 4 and not ROLES.search(run))
    return sorted(found)


def pick_queries(texts: dict[str, str], people: list[str]) -> list[str]:
    """Queries drawn from the corpus as it is now (seeded: the same corpus, the same queries)."""
    chosen = random.Random(18)
    documents = [normal(text) for text in texts.values()]
    grams: dict[int, Counter] = {n: Counter() for n in (1, 2, 3)}
    for text in documents:
        for n in grams:
            grams[n].update({text[i : i + n] for i in range(len(text) - n + 1) if all(HAN.match(c) for c in text[i : i + n])})
    queries = []
    for counts in grams.values():
        ranked = [gram for gram, _ in counts.most_common()]
        rare = sorted(gram for gram, count in counts.items() if count == 1)
        few = sorted(gram for gram, count in counts.items() if 2 <= count <= 4)
        queries += [ranked[0], ranked[len(ranked) // 20]]  # in most articles; in many
        queries += chosen.sample(rare, min(2, len(rare))) + chosen.sample(few, min(2, len(few)))
    queries += chosen.sample(people, min(4, len(people)))
    if any("习近平" in text for text in documents):
        queries.append("习近平")
    absent = next(chr(code) for code in range(0x9FA5, 0x4E00, -1) if all(chr(code) not in text for text in documents))
    queries.append(absent)
    latin = sorted({word for text in texts.values() for word in re.findall(r"[A-Za-z]{2,}", text)})
    if latin:
        queries.append(chosen.choice(latin).swapcase())
    across = sorted(
        {
            text[i] + " " + text[i + 2]
            for text in texts.values()
            for i in range(len(text) - 2)
            if text[i + 1] == "\n" and HAN.match(text[i]) and HAN.match(text[i + 2])
        }
    )
    if across:
        queries.append(chosen.choice(across))  # a query over a line break, typed with a space
    return list(dict.fromkeys(queries))


def results(page, server, query: str) -> tuple[set[str], str | None]:
    """The links search.html lists for `query` (all of them: "more" pressed until it hides), and
    the count it reports."""
    page.goto(server.url("search.html") + "?q=" + quote(query))
    page.wait_for_selector("#results[data-state=done], #results[data-state=error]", state="attached", timeout=10_000)
    assert page.get_attribute("#results", "data-state") == "done", f"search for {query!r} failed: {page.inner_text('body')[:300]}"
    more = page.locator("#more")
    while more.count() and more.is_visible():
        shown = page.locator("#results li").count()
        more.click()
        page.wait_for_function("n => document.querySelectorAll('#results li').length > n", arg=shown, timeout=10_000)
    links = page.eval_on_selector_all("#results li a", "links => links.map(a => a.href)")
    return {server.relative(link) or link for link in links}, page.get_attribute("#results", "data-count")


def test_results_are_the_articles_containing_the_query(corpus_site, corpus_server, new_context):
    texts = corpus_records(corpus_site)
    queries = pick_queries(texts, names(corpus_site))
    page = new_context().new_page()
    problems = []
    for query in queries:
        want = {link for link, text in texts.items() if normal(query) in normal(text)}
        got, count = results(page, corpus_server, query)
        if got != want:
            problems.append(
                f"{query!r}: {len(got)} results, {len(want)} articles contain it; missing {sorted(want - got)[:3]}, extra {sorted(got - want)[:3]}"
            )
        elif count != str(len(want)):
            problems.append(f"{query!r}: the page says {count} results, it lists {len(want)}")
    assert not problems, f"{len(problems)} of {len(queries)} queries {queries} wrong:\n" + "\n".join(problems)
    assert len(queries) >= 12


def test_a_query_typed_in_the_box_is_answered(corpus_site, corpus_server, new_context):
    texts = corpus_records(corpus_site)
    query = names(corpus_site)[0] if names(corpus_site) else next(iter(texts.values()))[:2]
    page = new_context().new_page()
    page.goto(corpus_server.url("search.html"))
    page.fill("#q", query)
    page.press("#q", "Enter")
    page.wait_for_selector("#results[data-state=done]", state="attached")
    shown = {
        corpus_server.relative(link) for link in page.eval_on_selector_all("#results li a", "links => links.map(a => a.href)")
    }
    want = {link for link, text in texts.items() if normal(query) in normal(text)}
    assert shown and shown <= want, f"{query!r}: {sorted(shown)} not among {sorted(want)}"


def test_the_records_hold_the_printed_text(corpus_site, shared):
    """The ground truth above is the records' text: it holds every article's headline and blocks
    as publish's own reader reads them from the corpus files (all but the jump lines, 转第N版:
    the web shows the article whole)."""
    from publish import load

    texts = corpus_records(corpus_site)
    joined = [normal(text) for text in texts.values()]
    problems = []
    articles = load(shared / "corpus")
    for article in articles:
        parts = [article.title, *(block.text for block in article.blocks if block.kind != "jump")]
        if not any(all(normal(part) in text for part in parts) for text in joined):
            problems.append(
                f"{article.source.file if article.source else ''}: 《{article.title}》 has no record holding its headline and blocks"
            )
    assert len(texts) == len(articles), f"{len(texts)} records for {len(articles)} articles"
    assert not problems, "\n".join(problems[:10])
