"""The web edition's HTML, read back as a reader's browser would find it (no browser here: the
HTML parsed with html.parser): every link reaches a file of the folder, each page view has an
area per article, hostile text stays text, the archive's calendars, and a second run rewrites
nothing."""

from __future__ import annotations

import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from typer.testing import CliRunner

import publish.web.site as site
from publish.cli import app
from publish.config import BuildSettings
from publish.web.site import CSP, newest_first, write_site

from .site_fixture import HOSTILE_BODY, HOSTILE_TITLE, make_build

DAILY = "青梧日报-2026-11-20"


class Page(HTMLParser):
    """An HTML file's elements (tag, attributes) in order, and its text."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path, self.elements, self.texts = path, [], []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.texts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def all(self, tag: str, **wanted) -> list[dict]:
        return [a for t, a in self.elements if t == tag and all(a.get(k.rstrip("_")) == v for k, v in wanted.items())]

    def links(self) -> list[str]:
        return [a[k] for _, a in self.elements for k in ("href", "src", "srcset") if a.get(k) is not None]


@pytest.fixture
def out(tmp_path) -> Path:
    folder = make_build(tmp_path / "out", hostile=True)
    write_site(folder, BuildSettings())
    return folder


def crawl(out: Path) -> dict[Path, Page]:
    """Every HTML page reached from index.html by its links; each link must be relative and
    resolve to a file inside `out`."""
    seen: dict[Path, Page] = {}
    todo = [out / "index.html"]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        page = seen[path] = Page(path)
        for link in page.links():
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc and not link.startswith("/"), f"{path}: {link} is not relative"
            if not parts.path:
                continue  # a fragment of the page itself
            target = (path.parent / unquote(parts.path)).resolve()
            assert target.is_relative_to(out.resolve()), f"{path}: {link} leaves the site"
            assert target.is_file(), f"{path.relative_to(out)}: dead link {link}"
            if target.suffix == ".html":
                todo.append(target)
    return seen


def test_every_link_reaches_a_file_and_every_page_is_reached(out):
    pages = crawl(out)
    written = {p.resolve() for p in out.rglob("*.html")}
    assert set(pages) == written  # no page the links do not reach
    assert len(written) == 1 + 2 + 1 + 5 + 9 + 6  # home, archive ×2, search; issues; articles; pages


def test_every_page_is_a_safe_accessible_page(out):
    for path, page in crawl(out).items():
        where = path.relative_to(out)
        (html,) = page.all("html")
        assert html["lang"] == "zh-CN", where
        assert page.all("meta", charset="utf-8") and page.all("meta", name="viewport"), where
        (csp,) = page.all("meta", **{"http-equiv": "Content-Security-Policy"})
        assert csp["content"] == CSP and "script-src 'self'" in csp["content"], where
        assert page.elements[page.elements.index(("body", page.all("body")[0])) + 1] == ("a", {"class": "skip", "href": "#main"})
        assert page.all("main", id="main") and page.all("header") and page.all("footer") and page.all("nav"), where
        assert all(s.get("src") for s in page.all("script")), f"{where}: an inline script"
        assert not page.all("style") and not any("style" in a for _, a in page.elements), f"{where}: an inline style"
        for img in page.all("img"):
            assert img.get("width", "").isdigit() and img.get("height", "").isdigit(), f"{where}: {img}"
            assert "alt" in img, f"{where}: {img}"
        forms = page.all("form", role="search")
        assert forms and forms[0]["method"] == "get" and forms[0]["action"].endswith("search.html"), where


def test_a_page_view_has_an_area_per_article_of_its_page(out):
    pages = json.loads((out / DAILY / "web" / "pages.json").read_text(encoding="utf-8"))["pages"]
    articles = json.loads((out / DAILY / "web" / "articles.json").read_text(encoding="utf-8"))["articles"]
    for record in pages:
        page = Page(out / DAILY / f"page-{record['number']:02d}.html")
        (svg,) = page.all("svg")
        assert svg["viewbox"] == "0 0 960 1400" and svg["class"] == "areas"
        areas = page.all("a", class_="area")
        assert len(areas) == len(record["areas"])
        for area, wanted in zip(areas, record["areas"], strict=True):
            article = articles[wanted["article"]]
            assert area["href"] == f"{article['part']}/index.html" and area["id"] == f"area-{article['part']}"
            assert area["aria-label"] == article["title"]
        paths = [a for t, a in page.elements if t == "path"]
        assert paths[0]["d"].count("M") == len(record["areas"][0]["rects"])  # the L-shaped article: two rectangles
        (img,) = page.all("img", fetchpriority="high")
        assert img["src"] == f"web/p{record['number']:02d}.png" and page.all("source", type="image/webp")
        nav = [a["href"] for a in page.all("a") if a.get("href", "").startswith("page-")]
        assert [f"page-{p['number']:02d}.html" for p in pages] == nav[-len(pages) :]  # 版面导航
        assert any(a.get("href", "").endswith(".pdf") and "-p0" in a["href"] for a in page.all("a"))  # the page's PDF
    text = Page(out / DAILY / "page-02.html").text
    assert "上一版" in text and "第2版 城事" in text and "上一期" in text


def test_hostile_text_is_shown_as_text(out):
    for path in (
        out / "index.html",
        out / DAILY / "index.html",
        out / DAILY / "page-01.html",
        out / DAILY / "01-400001" / "index.html",
    ):
        page = Page(path)
        assert not [i for i in page.all("img") if i.get("src") == "x" or "onerror" in i], path
        assert all(s.get("src", "").endswith(".js") for s in page.all("script")), path
        assert HOSTILE_TITLE in page.text, path
    article = Page(out / DAILY / "01-400001" / "index.html")
    assert HOSTILE_BODY in article.text and not [p for p in article.elements if p[0] == "script" and not p[1].get("src")]


def test_the_article_view_has_the_printed_parts_and_the_player(out):
    path = out / DAILY / "01-400001" / "index.html"
    page, html = Page(path), path.read_text(encoding="utf-8")
    assert re.search(r'<p class="kicker">一线见闻</p>', html) and '<p class="subtitle">——来自基层的报道</p>' in html
    assert re.search(r"<h2>(<span[^>]*>)?服务更贴心", html)  # 小标题
    (audio,) = page.all("audio")
    assert audio == {"id": "player", "controls": None, "preload": "metadata", "src": "article.mp3"}
    assert [b["data-rate"] for b in page.all("button", class_="speed")] == ["0.75", "1", "1.25", "1.5", "2"]
    assert [b["aria-pressed"] for b in page.all("button", class_="speed")] == ["false", "true", "false", "false", "false"]
    assert [(a["href"], a["data-start"]) for a in page.all("a") if "data-start" in a] == [("#t=0", "0.000"), ("#t=6", "6.000")]
    cues = page.all("span", class_="cue")
    ids = [int(c["id"][1:]) for c in cues if "id" in c]
    assert len(ids) >= 4 and ids == sorted(set(ids)) and all(c["data-cue"] for c in cues)  # s2, s3 …: each id once
    assert all(float(c["data-end"]) > float(c["data-begin"]) for c in cues)
    assert page.all("script", src="../../static/site.js") and page.all("track", kind="captions")
    assert page.all("a", href="../page-01.html#area-01-400001")  # 见第1版: the page with its area highlighted
    assert page.all("a", href="../02-400002/index.html", rel="next")
    third = Page(out / DAILY / "03-400003" / "index.html")
    assert third.all("a", href="../page-01.html#area-03-400003") and third.all("a", href="../page-02.html#area-03-400003")


def test_a_photo_stands_where_its_caption_is_printed(out):
    path = out / DAILY / "02-400002" / "index.html"
    page, html = Page(path), path.read_text(encoding="utf-8")
    (img,) = page.all("img", src="../web/photos/02-1.webp")
    assert (img["width"], img["height"], img["loading"]) == ("120", "80", "lazy")
    assert html.count("社区食堂里，老人们正在用餐。") == 1  # once: in the figure's caption, not again as a paragraph
    figure = html[html.index("<figure") : html.index("</figure>")]
    assert "社区食堂里，老人们正在用餐。" in figure and "本报记者 林晓 摄" in figure
    assert html.index("服务更贴心") < html.index("<figure")  # after the text before it


def test_an_article_without_audio_is_plain_text(tmp_path):
    out = make_build(tmp_path / "out", audio=False)
    write_site(out, BuildSettings())
    page = Page(out / DAILY / "01-400001" / "index.html")
    assert not page.all("audio") and not page.all("span", class_="cue") and not page.all("button", class_="speed")
    assert "本报讯 冬季供暖今日启动。记者昨天在现场看到，居民们排起了长队。" in page.text


def test_the_archive_has_month_calendars_newest_first(out):
    index, year = Page(out / "archive" / "index.html"), Page(out / "archive" / "2026.html")
    assert (out / "archive" / "index.html").read_bytes() == (out / "archive" / "2026.html").read_bytes()
    assert [t for t in index.texts if re.fullmatch(r"\d{4}年\d+月 ", t)] == ["2026年11月 ", "2026年10月 "]
    assert [t for t in index.texts if t in "一二三四五六日"][:7] == list("一二三四五六日")
    links = [a["href"] for a in index.all("a") if a.get("class") in ("day", "paper-link")]
    assert links == [f"../{key}/index.html".replace("青梧日报", "%E9%9D%92%E6%A2%A7%E6%97%A5%E6%8A%A5").replace(
        "青梧晚报", "%E9%9D%92%E6%A2%A7%E6%99%9A%E6%8A%A5") for key in
        ("青梧日报-2026-11-19", "青梧日报-2026-11-20", "青梧晚报-2026-11-20", "青梧日报-2026-10-31")]  # fmt: skip
    html = (out / "archive" / "index.html").read_text(encoding="utf-8")
    assert '<td><span class="day">21</span></td>' in html  # a day without an issue is no link
    assert "未注明日期" in index.text and index.all("a", href="../articles-undated/index.html")
    assert year.elements == index.elements


def test_the_home_shows_each_papers_latest_issue(out):
    page = Page(out / "index.html")
    assert page.all("a", href="archive/index.html") and page.all("a", href="search.html")
    papers = [t for t, a in page.elements if t == "h2"]
    assert len(papers) == 3
    text = page.text
    assert text.index("青梧日报") < text.index("青梧晚报") < text.index("新闻")  # newest issues first, undated last
    assert "社区食堂扩至百家" in text and "图书馆延长开放时间" in text and "新建口袋公园开放" not in text  # the latest issue's
    assert "青梧日报 2026年11月19日" in text  # and the issues before it
    (front,) = page.all("img", fetchpriority="high")  # the first paper's front page, eager; the others lazy
    assert (
        front["src"].endswith("/web/p01.png")
        and [i["src"][-18:] for i in page.all("img", loading="lazy")] == ["web/p01-thumb.webp"] * 2
    )


def test_newest_first():
    from publish.web.issues import Issue

    issues = [Issue(k, Path(k), p, d) for k, p, d in (("b-2026-01-02", "b", "2026-01-02"), ("u", None, None),
              ("a-2026-01-02", "a", "2026-01-02"), ("a-2025-12-31", "a", "2025-12-31"))]  # fmt: skip
    assert [i.key for i in newest_first(issues)] == ["a-2026-01-02", "b-2026-01-02", "a-2025-12-31", "u"]


def snapshot(out: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(out)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}


def test_a_second_run_rewrites_nothing(out):
    before = snapshot(out)
    made = site.assemble(out, BuildSettings())
    assert made.changed == 0 and snapshot(out) == before


def test_a_new_issue_rewrites_only_what_it_changes(out, tmp_path):
    newer = make_build(tmp_path / "more")
    (out / "青梧日报-2026-11-21").mkdir()
    shutil.copytree(newer / DAILY, out / "青梧日报-2026-11-21", dirs_exist_ok=True)
    record = out / "青梧日报-2026-11-21" / "web" / "articles.json"
    record.write_text(record.read_text(encoding="utf-8").replace("2026-11-20", "2026-11-21"), encoding="utf-8")
    before = snapshot(out)
    site.assemble(out, BuildSettings())
    after = snapshot(out)
    changed = {f for f in after if before.get(f) != after[f]}
    assert "index.html" in changed and "archive/2026.html" in changed and "site.json" in changed
    assert any(f.startswith("青梧日报-2026-11-21/") for f in changed)
    assert not any(f.startswith(("青梧日报-2026-11-19/", "青梧晚报", "articles-undated", "static/")) for f in changed), changed
    assert f"{DAILY}/page-01.html" in changed  # its 下一期 link
    assert f"{DAILY}/02-400002/index.html" not in changed


def test_files_of_the_site_go_when_their_article_goes_and_nothing_else(out):
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "archive" / "mine.html").write_text("mine", encoding="utf-8")
    record = out / DAILY / "web" / "articles.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    data["articles"] = data["articles"][:3]
    record.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    outside = out.parent / "victim.txt"
    outside.write_text("not the site's", encoding="utf-8")
    made = json.loads((out / "site.json").read_text(encoding="utf-8"))
    made["files"] += ["../victim.txt", str(outside)]  # a damaged record never reaches outside the folder
    (out / "site.json").write_text(json.dumps(made), encoding="utf-8")
    write_site(out, BuildSettings())
    assert outside.exists()
    assert not (out / DAILY / "04-400004" / "index.html").exists()
    assert (out / DAILY / "04-400004" / "article.mp3").exists()  # the audio task's, not the site's
    assert (out / "notes.txt").exists() and (out / "archive" / "mine.html").exists()


def test_a_damaged_site_record_never_removes_what_the_build_made(out):
    own = [f"{DAILY}/{DAILY}.pdf", f"{DAILY}/build.json", f"{DAILY}/web/articles.json", f"{DAILY}/01-400001/article.mp3"]
    for name in own:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        if not (out / name).exists():
            (out / name).write_text("the build's", encoding="utf-8")
    made = json.loads((out / "site.json").read_text(encoding="utf-8"))
    made["files"] += own  # as if an earlier site had written them
    made["issues"][DAILY].update(inputs="changed", files=made["issues"][DAILY]["files"] + own)
    (out / "site.json").write_text(json.dumps(made, ensure_ascii=False), encoding="utf-8")
    write_site(out, BuildSettings())
    assert [name for name in own if not (out / name).is_file()] == []


@pytest.mark.parametrize(
    "damage", ["{not json", '{"version": 1, "articles": [{"title": 3}]}', '{"articles": [{"part": "../x", "title": "t"}]}']
)
def test_a_broken_record_leaves_its_part_out_with_a_note(out, damage):
    record = out / DAILY / "web" / "articles.json"
    record.write_text(damage, encoding="utf-8")
    notes = write_site(out, BuildSettings())
    assert len(notes) == 1 and notes[0].startswith(f"{record}: ") and "shown without its articles" in notes[0]
    page = Page(out / DAILY / "index.html")
    assert page.all("a", href="page-01.html") and not page.all("a", class_="area")
    assert Page(out / DAILY / "page-01.html").all("svg") and not (out / DAILY / "01-400001" / "index.html").exists()
    assert Page(out / "archive" / "index.html").all("a", class_="paper-link")  # still in the archive


def test_missing_records_are_said_once_for_all_issues(tmp_path):
    out = make_build(tmp_path / "out")
    for record in out.glob("*/web/pages.json"):
        record.unlink()
    notes = write_site(out, BuildSettings())
    assert notes == ["5 issues (articles-undated, 青梧日报-2026-10-31, 青梧日报-2026-11-19, 青梧日报-2026-11-20, 青梧晚报-2026-11-20): "
                     "no web/pages.json: the issue is shown without its page views"]  # fmt: skip
    crawl(out)


runner = CliRunner()


def test_publish_web_reassembles_a_build_folder(out):
    os.remove(out / "index.html")
    result = runner.invoke(app, ["web", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        out / "index.html"
    ).is_file() and result.stderr.strip() == f"web edition of 5 issues: 1 file written; {out}/index.html"
    quiet = runner.invoke(app, ["web", str(out), "-q"])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_publish_web_on_a_folder_without_issues_says_so(tmp_path):
    result = runner.invoke(app, ["web", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"publish: error: {tmp_path}: no issue folders of publish build here (each has a build.json)"


def test_each_paper_has_its_whole_feed(out):
    from publish.speech.sound import feed

    if not hasattr(feed, "paper_feed"):
        pytest.skip("the whole-paper feed (speech.sound.feed.paper_feed) is not in this tree yet")
    home = Page(out / "index.html")
    feeds = [a["href"] for a in home.all("link", rel="alternate", type="application/rss+xml")]
    assert feeds == ["feeds/%E6%96%B0%E9%97%BB.xml", "feeds/%E9%9D%92%E6%A2%A7%E6%97%A5%E6%8A%A5.xml",
                     "feeds/%E9%9D%92%E6%A2%A7%E6%99%9A%E6%8A%A5.xml"]  # fmt: skip
    daily = (out / "feeds" / "青梧日报.xml").read_text(encoding="utf-8")
    assert (
        daily.count("<item>") == 4 + 1 + 2 and "../%E9%9D%92%E6%A2%A7%E6%97%A5%E6%8A%A5-2026-11-20/01-400001/article.mp3" in daily
    )
    assert daily.index("青梧日报-2026-11-20/") < daily.index("青梧日报-2026-11-19/")  # guids, newest issue first
    write_site(out, BuildSettings(episodes=2))
    assert (out / "feeds" / "青梧日报.xml").read_text(encoding="utf-8").count("<item>") == 2


def test_papers_whose_names_clean_alike_have_feeds_of_their_own(out):
    papers = {"青梧日报": "C#报", "青梧晚报": "C%报", "articles": "."}
    for record in out.glob("*/web/articles.json"):
        data = json.loads(record.read_text(encoding="utf-8"))
        data["paper"] = papers[record.parent.parent.name.split("-")[0]]
        record.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    write_site(out, BuildSettings())
    feeds = sorted(p.name for p in (out / "feeds").glob("*.xml"))
    assert len(feeds) == 3 and "C_报.xml" not in feeds and "paper.xml" not in feeds, feeds
    titles = {re.search(r"<title>([^<]*)</title>", (out / "feeds" / f).read_text(encoding="utf-8"))[1] for f in feeds}
    assert titles == {"C#报", "C%报", "."}
    home = Page(out / "index.html")
    linked = {unquote(a["href"]) for a in home.all("a") if a.get("href", "").startswith("feeds/")}
    assert linked == {f"feeds/{f}" for f in feeds}
    assert site.feed_names(["C%报", "C#报", "."]) == site.feed_names(["C#报", "."]) | {"C%报": site.feed_names(["C%报"])["C%报"]}


def test_the_search_page(out):
    page = Page(out / "search.html")
    (field,) = page.all("input", id="q")
    assert field["name"] == "q" and field["type"] == "search" and page.all("ol", id="results")
    assert page.all("form", action="search.html", method="get")
    assert "检索需要启用 JavaScript" in page.text  # in <noscript>
    if (out / "static" / "search.js").is_file():
        assert page.all("script", src="static/search.js")


def test_publish_build_writes_the_web_edition_unless_no_web(tmp_path):
    from tests.conftest import EXAMPLES

    plain = runner.invoke(
        app, ["build", str(EXAMPLES / "records"), "-o", str(tmp_path / "plain"), "--no-audio", "--no-web", "-j", "1"]
    )
    assert plain.exit_code == 0, plain.output
    assert (
        "<table>" in (tmp_path / "plain" / "index.html").read_text(encoding="utf-8")
        and not (tmp_path / "plain" / "archive").exists()
    )
    assert "web record" not in plain.stderr
    args = ["build", str(EXAMPLES / "records"), "-o", str(tmp_path / "web"), "--no-audio", "-j", "1", "--episodes", "5"]
    web = runner.invoke(app, args)
    assert web.exit_code == 0, web.output
    assert "2 of 2 tasks to do (1 PDF, 1 web record)" in web.stderr
    home = Page(tmp_path / "web" / "index.html")
    assert home.all("html")[0]["lang"] == "zh-CN" and (tmp_path / "web" / "archive" / "index.html").is_file()
    assert json.loads((tmp_path / "web" / "site.json").read_text(encoding="utf-8"))["settings"]["episodes"] == 5


def test_publish_web_after_a_no_pdf_build_does_not_miss_the_page_views(tmp_path):
    from tests.conftest import EXAMPLES

    args = ["build", str(EXAMPLES / "markdown"), "-o", str(tmp_path / "out"), "--no-pdf", "--engine", "offline"]
    args += ["--cache", str(tmp_path / "cache"), "-j", "1"]
    built = runner.invoke(app, args)
    assert built.exit_code == 0, built.output
    assert "pages.json" not in built.stderr
    again = runner.invoke(app, ["web", str(tmp_path / "out")])
    assert again.exit_code == 0, again.output
    assert "pages.json" not in again.stderr and "warning" not in again.stderr


def test_the_same_records_give_the_same_bytes(tmp_path):
    made = []
    for name in ("a", "b"):
        out = make_build(tmp_path / name, hostile=True)
        write_site(out, BuildSettings())
        made.append({str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert made[0] == made[1] and "site.json" in made[0]
