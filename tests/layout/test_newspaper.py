"""Newspaper pages as an editor checks them: masthead facts, running heads, modules that fill
the page, jumps with their lines and links, every article's text once, reproducible bytes."""

from __future__ import annotations

import datetime as dt
import re

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

import publish
from publish.check.layout import check_layout
from publish.check.pdf import check_pdf, read_chars
from publish.issue import IssueFacts, page_number
from publish.layout.columns import Item, _breakable, balance
from publish.layout.template import load_template
from publish.pipeline import newspaper_pdfs, printed_text
from tests.conftest import EXAMPLES, SEED, require_shared


def write(tmp_path, made, name="issue.pdf"):
    path = tmp_path / name
    path.write_bytes(made.data)
    return path


def page_text(path, number: int) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return pdf[number].get_textpage().get_text_range()
    finally:
        pdf.close()


def test_the_seed_makes_a_front_page_with_its_masthead_and_module(tmp_path):
    require_shared()
    [article] = publish.load(SEED)
    [issue] = newspaper_pdfs([article], jobs=1)
    path = write(tmp_path, issue)
    assert len(issue.pages) == 1
    text = "".join(page_text(path, 0).split())
    for fact in ("黔东南日报", "CN52-0017", "2022年4月27日星期三", "农历壬寅年三月廿七"):
        assert fact in text
    chars, _ = read_chars(path)
    largest = max(c.size for c in chars)
    assert {c.ch for c in chars if c.size == largest} == set("黔东南日报")  # the name outranks every headline
    headings = [b.text for b in article.blocks if b.kind.value == "heading"]
    assert len(headings) == 4 and all("".join(h.split()) in text for h in headings)
    assert any(b.kind.value == "note" for b in article.blocks)
    [module] = issue.pages[0].modules
    assert module.complete and not module.continued
    report = check_pdf(path, [printed_text([article])])
    assert report.ok, report.counts()
    assert report.text["equal"] and report.text["pieces"] == 1


def test_xmwb_gives_one_issue_per_date_with_running_heads_and_every_article_once(tmp_path):
    shared = require_shared()
    articles = publish.load(shared / "corpus" / "xmwb")
    issues = newspaper_pdfs(articles, jobs=1)
    dates = sorted({a.paper.date for a in articles})
    assert [i.key for i in issues] == [f"新民晚报-{d.isoformat()}" for d in dates]
    for issue, date in zip(issues, dates, strict=True):
        path = write(tmp_path, issue, f"{issue.key}.pdf")
        members = [a for a in articles if a.paper.date == date]
        for number, page in enumerate(issue.pages[1:], start=1):
            head = "".join(page_text(path, number).split())
            assert f"{date.year}年{date.month}月{date.day}日" in head and f"第{page.label}版" in head and "新民晚报" in head
        report = check_pdf(path, [printed_text([a]) for a in members])
        assert report.ok, (issue.key, report.counts())
        assert report.text["equal"] and report.text["pieces"] >= len(members)


HOLE_ROWS = 2  # no blank taller than two body lines: round headlines, between paragraphs, at a foot


def flowing_issue(shared):
    """The xmwb articles as one undated-page issue: they flow, fill pages and jump."""
    articles = publish.load(shared / "corpus" / "xmwb")
    for article in articles:
        article.paper.page, article.paper.page_name, article.paper.date = None, None, dt.date(2022, 4, 1)
    return articles


def test_full_pages_are_filled_and_stories_jump_with_lines_and_links(tmp_path):
    shared = require_shared()
    articles = flowing_issue(shared)
    [issue] = newspaper_pdfs(articles, jobs=1)
    path = write(tmp_path, issue)
    full = issue.pages[:-1]  # every page but the last: filled by the module measure (M1), as `check --layout` reads it
    fills = [page.fill for page in check_layout(path).pages]
    assert len(full) >= 3 and all(fill >= 0.97 for fill in fills[:-1]), fills
    lead = max(range(len(articles)), key=lambda i: sum(len(b.text) for b in articles[i].blocks))
    assert issue.pages[0].modules[0].article == lead
    text = "".join("".join(page_text(path, n).split()) for n in range(len(issue.pages)))
    jumps_out = re.findall(r"（下转第(\d+)版）", text)
    jumps_in = re.findall(r"（上接第(\d+)版）", text)
    assert jumps_out and len(jumps_out) == len(jumps_in)
    reader = PdfReader(str(path))
    links = [a for page in reader.pages for a in (page.get("/Annots") or []) if a.get_object().get("/Subtype") == "/Link"]
    template = load_template("broadsheet")
    masthead_foot = template.grid.row_top(template.masthead["rows"])
    digest = [link for link in issue.pages[0].links if link.y0 > masthead_foot]  # page 1's 导读, in the ear
    assert len(digest) >= 2 and all(link.key.endswith("-0") for link in digest)
    assert len(links) == len(jumps_out) + len(digest)
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[0].startswith("第1版") and len(outline) == len(issue.pages)
    report = check_pdf(path, [printed_text([a]) for a in articles])
    assert report.ok, report.counts()
    # a jump's two parts may also be neighbours in the text stream (the foot of one page, the top of the next)
    # (and a headline beside another module's columns may be read between them)
    assert report.text["equal"] and len(articles) <= report.text["pieces"] <= len(articles) + len(jumps_out) + len(full)
    holes = [m.hole for page in full for m in page.modules]
    assert max(holes) <= HOLE_ROWS
    for page in issue.pages:  # modules never overlap
        boxes = [(m.x, m.top - m.height, m.x + m.width, m.top) for m in page.modules]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert a[2] <= b[0] + 1 or b[2] <= a[0] + 1 or a[3] <= b[1] + 1 or b[3] <= a[1] + 1


def test_document_info_and_reproducible_bytes_honouring_source_date_epoch(tmp_path, monkeypatch):
    articles = publish.load(EXAMPLES / "qingwu-daily")
    facts = IssueFacts(issue_number=1234, cn="CN00-0000", publisher="青梧日报社出版")
    [one] = newspaper_pdfs(articles, facts=facts, jobs=1)
    [two] = newspaper_pdfs(articles, facts=facts, jobs=1)
    assert one.data == two.data
    info = PdfReader(write(tmp_path, one)).metadata
    assert info["/Title"] == "青梧日报 2026-11-20" and articles[0].people[0].name in info["/Author"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    [dated] = newspaper_pdfs(articles, facts=facts, jobs=1)
    assert dated.data != one.data and "20231114" in PdfReader(write(tmp_path, dated, "d.pdf")).metadata["/CreationDate"]
    text = "".join(page_text(tmp_path / "issue.pdf", 0).split())
    assert "总第1234期" in text and "CN00-0000" in text and "青梧日报社出版" in text


@pytest.mark.parametrize("name", ["broadsheet", "tabloid", "a4", "a3"])
def test_every_template_sets_the_examples_cleanly(tmp_path, name):
    articles = publish.load(EXAMPLES / "qingwu-daily")
    [issue] = newspaper_pdfs(articles, load_template(name), jobs=1)
    path = write(tmp_path, issue)
    grid = load_template(name).grid
    assert PdfReader(path).pages[0].mediabox.width == pytest.approx(grid.width, abs=0.01)
    report = check_pdf(path, [printed_text([a]) for a in articles])
    assert report.faults == [] and report.text["equal"]
    assert report.share_within_target >= 0.95 and report.ok


def items(kinds: str) -> list[Item]:
    """h = 小标题 line, w = a paragraph's last line, . = any other body line."""
    return [
        Item(line=None, rows=1, space=1 if k == "h" and n else 0, heading=k == "h", widow=k == "w") for n, k in enumerate(kinds)
    ]  # type: ignore[arg-type]


@pytest.mark.parametrize("kinds", ["..w..w.h...w", "h..w.h..wh...", ".....h..w.....w", "..w" * 7])
@pytest.mark.parametrize("columns", [2, 3, 4])
def test_balanced_columns_keep_headings_with_their_lines_and_no_widow_on_top(kinds, columns):
    body = items(kinds)
    spans, tallest = balance(body, 0, columns, 100)
    assert spans[0][0] == 0 and spans[-1][1] == len(body)
    heights = [sum(1 + (it.space if k > a else 0) for k, it in enumerate(body[a:b], a)) for a, b in spans]
    assert max(heights) == tallest
    if "h" not in kinds:  # paragraphs alone: bottoms within two rows
        assert tallest - min(heights) <= 2
    for a, _ in spans[1:]:
        assert _breakable(body, a, 0) or a == 0
        assert not body[a].widow
        assert not body[a - 1].heading and not (a >= 2 and body[a - 2].heading)


SVG_LOGO = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100">
<rect x="0" y="0" width="400" height="100" fill="#c8161d"/><circle cx="50" cy="50" r="30" fill="#ffffff"/></svg>"""


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_a_logo_takes_the_place_of_the_set_name(tmp_path, kind):
    from PIL import Image

    logo = tmp_path / f"logo.{kind}"
    if kind == "png":
        Image.new("RGB", (400, 100), (200, 22, 29)).save(logo)
    else:
        logo.write_text(SVG_LOGO, encoding="utf-8")
    articles = publish.load(EXAMPLES / "qingwu-daily")
    [issue] = newspaper_pdfs(articles, facts=IssueFacts(logo=str(logo)), jobs=1)
    path = write(tmp_path, issue)
    page = PdfReader(path).pages[0]
    content = page.get_contents().get_data()
    if kind == "png":
        assert page["/Resources"]["/XObject"]  # the image is there
    else:
        assert b".784314 .086275 .113725 rg" in content and b" re" in content  # the SVG's red box, as vector paint
    chars, _ = read_chars(path)
    largest = max(c.size for c in chars)
    assert "青" not in {c.ch for c in chars if c.size == largest}  # no set name beside the logo
    assert check_pdf(path, [printed_text([a]) for a in articles]).ok


def test_a_logo_that_is_not_an_image_is_one_clear_error(tmp_path):
    from publish.errors import ImageError

    logo = tmp_path / "logo.png"
    logo.write_text("not a picture", encoding="utf-8")
    with pytest.raises(ImageError, match=f"^{logo}: logo is not an image \\(SVG, PNG or JPEG\\)$"):
        newspaper_pdfs(publish.load(EXAMPLES / "qingwu-daily"), facts=IssueFacts(logo=str(logo)), jobs=1)


def test_todays_page_count_is_the_pages_printed_not_the_highest_page_number(tmp_path):
    articles = [a for a in publish.load(EXAMPLES / "qingwu-daily") if page_number(a.paper.page) in (1, 4)]
    assert max(page_number(a.paper.page) for a in articles) == 4
    [issue] = newspaper_pdfs(articles, jobs=1, pages="keep")
    text = "".join(page_text(write(tmp_path, issue), 0).split())
    assert len(issue.pages) == 2 and "今日2版" in text and "今日4版" not in text
    [given] = newspaper_pdfs(articles, facts=IssueFacts(pages=8), jobs=1)  # the paper's own figure wins
    assert "今日8版" in "".join(page_text(write(tmp_path, given, "given.pdf"), 0).split())
