"""The archive's search (publish/web/search.py + static/search.js): search.js itself, run under
Node and in headless Chromium, answers exactly the substring ground truth; the index is
rewritten only where articles changed; the same input gives the same bytes."""

from __future__ import annotations

import functools
import json
import random
import shutil
import subprocess
import threading
import unicodedata
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from publish.errors import BuildError
from publish.web import search
from publish.web.search import encode_list, normalise, segment_key, varint, write_search
from tests.conftest import ROOT
from tests.validators import need

NODE_RUNNER = ROOT / "tests" / "web" / "search_node.js"
SEARCH_JS = ROOT / "publish" / "web" / "static" / "search.js"
# The markup search.js expects (the site's search.html holds the same ids), under the site's CSP.
SEARCH_HTML = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'">
<title>搜索</title><script src="static/search.js" defer></script></head>
<body><main>
<form action="search.html" method="get" role="search"><label for="q">搜索全部报纸</label>
<input id="q" name="q" type="search"><button type="submit">搜索</button></form>
<p id="status" role="status" aria-live="polite"></p>
<ol id="results"></ol>
<noscript>搜索需要 JavaScript。</noscript>
</main></body></html>
"""

# Sample text of our own (never the corpus's): words the synthetic archive is made of.
WORD_LIST = """
青梧 河畔 社区 供暖 菜场 农贸 市场 居民 街道 志愿者 图书馆 公交 地铁 学校 医院 老人 孩子 春天 秋收 稻田
山水 田园 小水 渔船 码头 早点 面馆 桂花 茶叶 古镇 石桥 灯笼 庙会 书法 剪纸 龙舟 晚报 记者 通讯员 摄影
ABC ｘｙｚ 2026 第一 百分之 暖气 管道 维修 改造 新建 开放 活动 讲座 比赛 冠军 家庭 邻里 互助 和谐
"""
WORDS = WORD_LIST.split()
NAMES = ("林晓峰", "欧阳青", "周明远", "许晴")


def record(number: int, title: str, text: str, page: str | None = "1") -> dict:
    return {"number": number, "part": f"{number:02d}", "title": title, "page": page, "text": text}


def issue(paper: str, date: str | None, articles: list[dict]) -> dict:
    return {"version": 1, "issue": f"{paper}-{date or 'undated'}", "paper": paper, "date": date, "articles": articles}


def synthetic(seed: int, dates: list[str | None], per_issue: int = 6, words: int = 60) -> list[dict]:
    """Issues of word salad from WORDS and NAMES (deterministic), one per date."""
    rng = random.Random(seed)
    issues = []
    for date in dates:
        articles = []
        for n in range(1, per_issue + 1):
            body = "".join(rng.choice(WORDS) + ("，" if rng.random() < 0.2 else "") for _ in range(words))
            if rng.random() < 0.3:
                body += f"\n本报记者 {rng.choice(NAMES)}"
            articles.append(record(n, f"{rng.choice(WORDS)}{rng.choice(WORDS)}新闻", body, str(n)))
        issues.append(issue("青梧日报", date, articles))
    return issues


def ground_truth(issues: list[dict], query: str) -> list[str]:
    """The hrefs of the articles whose normalised text contains the normalised query, newest
    first (then by issue key and article number), undated last."""
    wanted = normalise(query)
    found = [
        (i["date"] or "", i["issue"], a["number"], f"{i['issue']}/{a['part']}/index.html")
        for i in issues
        for a in i["articles"]
        if wanted and wanted in normalised(a["text"])
    ]
    found.sort(key=lambda f: (f[1], f[2]))
    found.sort(key=lambda f: f[0], reverse=True)
    return [f[3] for f in found]


@functools.cache
def normalised(text: str) -> str:
    return normalise(text)


def node(args: list[str], payload) -> object:
    need(shutil.which("node") is not None, "node is not installed (search.js runs under Node for these tests)")
    done = subprocess.run(
        ["node", str(NODE_RUNNER), *args], input=json.dumps(payload), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def js_answers(out: Path, queries: list[str]) -> dict[str, list[str]]:
    return node([str(out / "search")], queries)


def tree(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under `folder`: (mtime_ns, bytes) by relative path."""
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()}


# --- normalising and encoding -------------------------------------------------------------


def test_normalise_folds_width_case_and_drops_whitespace():
    assert normalise("Ａｂ Ｃ\n①　习 近平\t") == "abc1习近平"
    assert normalise("ⅫＸ") == "xiix"


def test_js_normalise_equals_python_over_the_common_ranges():
    """Over every character both Unicode versions know (Python's may be older than Node's ICU)."""
    points = [*range(0x20, 0x3400), *range(0x4E00, 0xA000, 7), *range(0xF900, 0xFB00), *range(0xFE30, 0x10000)]
    texts = [chr(p) for p in points if unicodedata.category(chr(p)) not in ("Cn", "Cs")]
    texts += ["ΣΑΣ ΣΑΣ", "İstanbul", "Straße", "ｶﾞｷﾞ", "㍿㌔"]
    assert node(["normalise"], texts) == [normalise(t) for t in texts]


def test_lists_are_delta_varints_or_a_bitmap_whichever_is_smaller():
    small = [varint(i) for i in range(100)]
    assert varint(300) == bytes([0xAC, 0x02])
    assert encode_list([3, 5, 6], 1000, small) == (bytes([3, 1, 0]), False)
    every = list(range(16))
    assert encode_list(every, 16, small) == (b"\xff\xff", True)  # a gram in every article: n/8 bytes
    assert encode_list([0, 9], 16, small) == (b"\x01\x02", True)  # as many ids as bitmap bytes: the bitmap
    assert encode_list([0, 8], 100, small) == (bytes([0, 7]), False)


def test_segments_are_closed_years_and_the_newest_years_months():
    keys = [segment_key(d, 2026) for d in ("2026-11-20", "2026-01-03", "2025-12-31", None)]
    assert keys == ["2026-11", "2026-01", "2025", "undated"]


# --- search.js answers the ground truth ---------------------------------------------------


def test_synthetic_archive_answers_exactly(tmp_path):
    dates = ["2024-12-30", "2025-06-01", "2025-06-02", "2026-01-15", "2026-03-01", "2026-03-02", None]
    issues = synthetic(7, dates)
    issues[0]["articles"].append(record(9, "山水", "山水田野与小水田园"))  # 山水田 + 水田园, never 山水田园
    issues[1]["articles"].append(record(9, "Ｓ", "ＡＢＣ　ｄｅｆ 𠀀𠀁𠀂 ⅻ"))
    write_search(tmp_path, issues)
    index = json.loads((tmp_path / "search" / "index.json").read_text(encoding="utf-8"))
    assert [s["key"] for s in index["segments"]] == ["2026-03", "2026-01", "2025", "2024", "undated"]
    text = "".join(a["text"] for i in issues for a in i["articles"])
    queries = sorted({text[i : i + n] for n in (1, 2, 3, 4, 5, 7) for i in range(0, len(text) - n, 97)})
    queries += [*NAMES, "山水田园", "山水田", "abc", "ABCDEF", "xiix", "𠀀𠀁", "𠀀𠀁𠀂", "不存在", "水田园水", "", "  "]
    answers = js_answers(tmp_path, queries)
    for query in queries:
        assert answers[query] == ground_truth(issues, query), query
    assert answers["山水田园"] == [] and answers["山水田"]


@pytest.mark.shared
def test_corpus_queries_answer_exactly(shared, tmp_path):
    issues, names = corpus_records(shared)
    write_search(tmp_path, issues)
    texts = [normalise(a["text"]) for i in issues for a in i["articles"]]
    queries = pick_queries(texts, names)
    answers = js_answers(tmp_path, queries)
    wrong = [q for q in queries if answers[q] != ground_truth(issues, q)]
    assert not wrong, wrong[:10]
    assert sum(bool(answers[q]) for q in names) == len(names)


def corpus_records(shared: Path) -> tuple[list[dict], list[str]]:
    """The corpus as issue records (the contract's shape, built here from the Article fields)
    and the people its bylines name."""
    from publish.ingest import load
    from publish.issue import group_issues
    from publish.speech.sound.edition import article_folder

    articles = load(sorted((shared / "corpus").glob("*/*.txt")), errors="skip")
    issues, names = [], set()
    for found in group_issues(articles):
        records = []
        for number, a in enumerate(found.articles, 1):
            heads = [b for b in a.bylines if b.position == "head"]
            names.update(p.name for b in heads for p in b.people if len(p.name) >= 2)
            head = [a.headline.kicker, a.headline.title, a.headline.subtitle, *(b.text for b in heads)]
            text = "\n".join(p for p in [*head, *(b.text for b in a.blocks)] if p)
            records.append({**record(number, a.headline.title, text, a.paper.page), "part": article_folder(number, a)})
        date = found.facts.date.isoformat() if found.facts.date else None
        issues.append({"version": 1, "issue": found.key, "paper": found.facts.name or None, "date": date, "articles": records})
    return issues, sorted(names)


def pick_queries(texts: list[str], names: list[str]) -> list[str]:
    """1-8-character substrings at spread positions, the rarest and commonest characters, the
    names in the bylines, and strings that appear nowhere (made of characters that do)."""
    rng = random.Random(18)
    joined = "".join(texts)
    queries = set(names)
    for n in (1, 2, 3, 4, 5, 8):
        for _ in range(40):
            text = rng.choice(texts)
            start = rng.randrange(max(1, len(text) - n))
            queries.add(text[start : start + n])
    counts: dict[str, int] = {}
    for ch in joined:
        counts[ch] = counts.get(ch, 0) + 1
    ranked = sorted(counts, key=lambda c: (counts[c], c))
    queries.update(ranked[:15] + ranked[-15:])
    absent = [ranked[-1] + ranked[0] + ranked[-2], ranked[-3] * 4, "".join(ranked[-6:-1]), "\U00020000", "zqxj"]
    queries.update(a for a in absent if a not in joined)
    return sorted(q for q in queries if q)


# --- incremental builds -------------------------------------------------------------------


def test_a_new_month_rewrites_only_its_segment_and_the_index(tmp_path):
    issues = synthetic(3, ["2025-11-02", "2026-01-05", "2026-02-10", None])
    assert write_search(tmp_path, issues)
    before = tree(tmp_path / "search")
    assert write_search(tmp_path, issues) == []  # nothing changed: nothing written
    assert tree(tmp_path / "search") == before
    more = issues + synthetic(4, ["2026-03-01"])
    notes = write_search(tmp_path, more)
    assert notes == ["search index: 30 articles in 5 segments; rewrote 2026-03"]
    after = tree(tmp_path / "search")
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {"index.json"} | {n for n in after if n.startswith("2026-03.")}
    assert set(before) - set(after) == set()
    assert js_answers(tmp_path, ["青梧", "林晓峰"]) == {q: ground_truth(more, q) for q in ["青梧", "林晓峰"]}


def test_a_changed_month_gets_a_new_folder_and_a_new_year_merges_the_old_months(tmp_path):
    issues = synthetic(5, ["2025-11-02", "2026-01-05", "2026-02-10"])
    write_search(tmp_path, issues)
    folders = sorted(p.name for p in (tmp_path / "search").iterdir() if p.is_dir())
    issues[2]["articles"][0]["text"] += "新加的一句"
    write_search(tmp_path, issues)
    now = sorted(p.name for p in (tmp_path / "search").iterdir() if p.is_dir())
    assert [f for f in now if f not in folders] == [f for f in now if f.startswith("2026-02.")]
    assert [f for f in folders if f not in now] == [f for f in folders if f.startswith("2026-02.")]
    grown = issues + synthetic(6, ["2027-01-01"])
    write_search(tmp_path, grown)
    keys = [s["key"] for s in json.loads((tmp_path / "search" / "index.json").read_text(encoding="utf-8"))["segments"]]
    assert keys == ["2027-01", "2026", "2025"]
    assert sorted(p.name.split(".")[0] for p in (tmp_path / "search").iterdir() if p.is_dir()) == ["2025", "2026", "2027-01"]
    assert js_answers(tmp_path, ["新加的一句"]) == {"新加的一句": ground_truth(grown, "新加的一句")}


def test_same_input_same_bytes(tmp_path):
    issues = synthetic(11, ["2026-04-01", "2026-04-02", "2025-05-05", None])
    write_search(tmp_path / "a", issues)
    write_search(tmp_path / "b", list(reversed(issues)))
    one, two = tree(tmp_path / "a" / "search"), tree(tmp_path / "b" / "search")
    assert {k: v[1] for k, v in one.items()} == {k: v[1] for k, v in two.items()}


def test_shards_stay_small(tmp_path):
    write_search(tmp_path, synthetic(2, [f"2026-05-{d:02d}" for d in range(1, 29)], per_issue=10, words=300))
    sizes = [p.stat().st_size for p in (tmp_path / "search").rglob("s/*.bin")]
    assert len(sizes) > 50 and max(sizes) < 4 * search.SHARD_BYTES


def test_a_record_without_text_is_one_clear_error(tmp_path):
    bad = issue("青梧日报", "2026-01-01", [{"number": 1, "part": "01", "title": "标题"}])
    with pytest.raises(BuildError) as caught:
        write_search(tmp_path, [bad])
    assert str(caught.value) == "青梧日报-2026-01-01/web/articles.json: article 1: no text (text)"


# --- in headless Chromium -----------------------------------------------------------------


@pytest.fixture
def served(tmp_path):
    """A small site (search.html, static/search.js, search/) served over HTTP under /sub/; (base URL,
    issues, the site's folder)."""
    issues = synthetic(9, ["2025-08-08", "2026-02-02", "2026-02-03", "2026-04-04"], per_issue=8)
    issues[3]["articles"][0]["title"] = "<img src=x onerror=alert(1)>标题"
    issues[3]["articles"][0]["text"] += "青梧河畔青梧河畔"
    site = tmp_path / "sub"  # served under a sub-path, as on many web servers
    write_search(site, issues)
    (site / "search.html").write_text(SEARCH_HTML, encoding="utf-8")
    (site / "static").mkdir()
    shutil.copy(SEARCH_JS, site / "static" / "search.js")
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/sub/", issues, site
    server.shutdown()
    server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no access log in the test output
        pass


@pytest.fixture
def chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "playwright is not installed (pip install playwright; no `playwright install`)")
    need(Path("/usr/bin/chromium").is_file(), "Debian's chromium is not at /usr/bin/chromium (apt-get install chromium)")
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


def results_of(page) -> tuple[list[str], dict]:
    page.wait_for_selector("#results[data-state=done]", state="attached")
    links = page.eval_on_selector_all("#results li a", "links => links.map(a => a.getAttribute('href'))")
    attrs = page.eval_on_selector("#results", "r => ({count: r.dataset.count, min: r.dataset.countMin})")
    return links, attrs


def test_browser_results_equal_the_ground_truth(served, chromium):
    base, issues, _ = served
    page = chromium.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico") and errors.append(r.url))
    page.goto(base + "search.html?q=" + "林晓峰")
    links, attrs = results_of(page)
    truth = ground_truth(issues, "林晓峰")
    assert links == truth[:10] and attrs["count"] == str(len(truth))
    assert page.input_value("#q") == "林晓峰"
    for query in ("青", "河畔", "志愿者", "不存在", "ＡＢＣ"):
        page.fill("#q", query)
        page.press("#q", "Enter")
        page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=query)
        links, attrs = results_of(page)
        truth = ground_truth(issues, query)
        assert links == truth[:10], query
        assert attrs["count"] == str(len(truth)), query
        while page.is_visible("#more"):
            page.click("#more")
            page.wait_for_function("n => document.querySelectorAll('#results li').length > n", arg=len(links))
            links, _ = results_of(page)
        assert links == truth, query
    status = page.text_content("#status")
    assert "共" in status and "ＡＢＣ" in status
    assert errors == []


def test_browser_long_query_shows_only_checked_counts(served, chromium):
    base, issues, _ = served
    page = chromium.new_page()
    page.goto(base + "search.html?q=" + "青梧河畔")
    links, attrs = results_of(page)
    truth = ground_truth(issues, "青梧河畔")
    while page.is_visible("#more"):
        assert attrs["count"] is None and int(attrs["min"]) <= len(truth)
        assert "至少" in page.text_content("#status")
        page.click("#more")
        page.wait_for_function(
            "n => document.querySelectorAll('#results li').length > n || document.querySelector('#more').hidden", arg=len(links)
        )
        links, attrs = results_of(page)
    assert links == truth and attrs["count"] == str(len(truth))


def test_browser_shows_a_hostile_title_as_text(served, chromium):
    base, _, _ = served
    page = chromium.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base + "search.html?q=青梧河畔青梧河畔")
    results_of(page)
    assert page.text_content("#results li a") == "<img src=x onerror=alert(1)>标题"
    assert page.query_selector("#results img") is None and dialogs == []


def test_browser_from_disk_says_why_search_cannot_run(served, chromium):
    _, _, folder = served
    page = chromium.new_page()
    page.goto((folder / "search.html").as_uri() + "?q=青梧")
    page.wait_for_selector("#results[data-state=error]", state="attached")
    assert "本地文件" in page.text_content("#status")


def test_browser_more_results_by_keyboard_moves_focus_to_the_first_new_one(served, chromium):
    base, issues, _ = served
    page = chromium.new_page()
    page.goto(base + "search.html?q=青")
    results_of(page)
    assert page.title() == "青 - 搜索" and len(ground_truth(issues, "青")) > 10
    page.focus("#more")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#results li').length > 10")
    focused = page.evaluate("() => [...document.querySelectorAll('#results li a')].indexOf(document.activeElement)")
    assert focused == 10


def test_links_escape_only_what_a_relative_url_would_misread(tmp_path):
    odd = issue("C#周报?", "2026-01-01", [record(1, "", "百分之百")])
    write_search(tmp_path, [odd])
    assert js_answers(tmp_path, ["百分"]) == {"百分": ["C%23周报%3F-2026-01-01/01/index.html"]}


def test_a_long_query_counts_only_what_it_has_checked(tmp_path):
    """30 newer articles hold both trigrams of 山水田园 but never the phrase; the oldest holds it.
    Each page checks at most 20 texts, so the first pages know of no match and claim no total."""
    near = [record(n, "近", f"山水田野第{n}回，小水田园") for n in range(1, 31)]
    write_search(
        tmp_path, [issue("青梧日报", "2026-02-01", near), issue("青梧日报", "2026-01-01", [record(1, "远", "山水田园")])]
    )
    steps = node([str(tmp_path / "search"), "pages"], ["山水田园", "水田"])
    assert steps["山水田园"][0] == [0, None, 0]
    assert steps["山水田园"][-1] == [1, 1, 1] and all(total is None for _, total, _ in steps["山水田园"][:-1])
    assert steps["水田"] == [[31, 31, 10], [31, 31, 20], [31, 31, 30], [31, 31, 31]]
