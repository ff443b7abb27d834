"""The web edition's pages (web/pages.py), as the site and a reader use them: every article's
area on the page image holds all it prints there (jumps too) and no other's; the images are the
sizes pages.json says and within the page view's budget; each page PDF is that page alone, its
text whole, with no link out of it; the same issue gives the same bytes; a rebuild with fewer
pages leaves no stale page files."""

from __future__ import annotations

import dataclasses
import datetime
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

import publish
from publish.issue import group_issues
from publish.layout.page import ModuleBox, Page
from publish.pipeline import IssuePdf, newspaper_pdfs
from publish.web.pages import IMAGE_BUDGET, PAGES, WIDTHS, page_areas, write_page_files
from tests.conftest import EXAMPLES, SHARED, require_shared
from tests.tagged import plain, read_tags

TOLERANCE = 1.0  # pt


@dataclass
class Built:
    """An issue laid out, its PDF written and its web page files made from them."""

    made: IssuePdf
    articles: list  # the issue's articles in issue order (group_issues), as the batch numbers them
    folder: Path
    files: list[str]
    record: dict


def build(made: IssuePdf, articles: list, folder: Path) -> Built:
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / f"{made.key}.pdf"
    pdf.write_bytes(made.data)
    files = write_page_files(pdf, made.pages, folder, made.key)
    return Built(made, articles, folder, files, json.loads((folder / PAGES).read_text(encoding="utf-8")))


def built_issues(articles: list, base: Path) -> list[Built]:
    issues = group_issues(articles)
    made = newspaper_pdfs(articles, jobs=1)
    return [build(m, issue.articles, base / m.key) for m, issue in zip(made, issues, strict=True)]


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> list[Built]:
    return built_issues(publish.load(EXAMPLES), tmp_path_factory.mktemp("examples"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Built:
    """The corpus as one issue of one paper and date: its articles fill 13 pages and jump (下转)."""
    require_shared()
    articles = []
    for n, article in enumerate(publish.load(SHARED / "corpus")):
        paper = dataclasses.replace(article.paper, name="测试日报", date=datetime.date(2026, 11, 25), page=None, page_name=None)
        articles.append(dataclasses.replace(article, id=f"web-{n}", paper=paper))
    [built] = built_issues(articles, tmp_path_factory.mktemp("corpus"))
    return built


def issues(request) -> list[Built]:
    """The issues a test runs on: the examples, and the corpus issue with jumps (needs ../shared)."""
    return request.getfixturevalue("examples") if request.param == "examples" else [request.getfixturevalue("corpus")]


ISSUES = [pytest.param("examples", id="examples"), pytest.param("corpus", id="corpus", marks=pytest.mark.shared)]


@pytest.fixture(params=ISSUES)
def built(request) -> list[Built]:
    return issues(request)


# ---- pages.json ---------------------------------------------------------------------------------


def test_pages_json_describes_every_page_and_its_files(built):
    for issue in built:
        record, web = issue.record, issue.folder / "web"
        assert list(record) == ["version", "issue", "pdf", "pages"]
        assert (record["version"], record["issue"], record["pdf"]) == (1, issue.made.key, f"{issue.made.key}.pdf")
        document = pdfium.PdfDocument(issue.made.data)
        assert [p["number"] for p in record["pages"]] == list(range(1, len(document) + 1))
        for entry, page, n in zip(record["pages"], issue.made.pages, range(len(document)), strict=True):
            keys = ["number", "label", "name", "width", "height", "image", "fallback", "thumb", "pdf", "areas"]
            assert list(entry) == keys
            assert (entry["label"], entry["name"]) == (page.label, page.name)
            width, height = document[n].get_size()
            assert entry["width"] == pytest.approx(width, abs=0.01) and entry["height"] == pytest.approx(height, abs=0.01)
            stem = f"p{entry['number']:02d}"
            names = (entry["image"]["src"], entry["fallback"]["src"], entry["thumb"]["src"], entry["pdf"])
            assert names == (f"{stem}.webp", f"{stem}.png", f"{stem}-thumb.webp", f"{issue.made.key}-{stem}.pdf")
            for key, kind in (("image", "WEBP"), ("fallback", "PNG"), ("thumb", "WEBP")):
                with Image.open(web / entry[key]["src"]) as image:
                    assert (image.format, image.size) == (kind, (entry[key]["width"], entry[key]["height"]))
        written = sorted(p.relative_to(issue.folder).as_posix() for p in web.iterdir())
        assert sorted(issue.files) == written  # what the build records is what is there


def test_images_are_sized_for_an_800_px_view_and_within_the_budget(built):
    for issue in built:
        for entry in issue.record["pages"]:
            aspect = entry["height"] / entry["width"]
            for key, widths in (("image", WIDTHS), ("fallback", (800,)), ("thumb", (240,))):
                image = entry[key]
                assert image["width"] in widths
                assert abs(image["height"] - image["width"] * aspect) <= 1
            data = (issue.folder / "web" / entry["image"]["src"]).read_bytes()
            assert len(data) <= IMAGE_BUDGET
            with Image.open(io.BytesIO(data)) as image:
                assert not {"exif", "xmp", "icc_profile"} & set(image.info)  # nothing but the picture
    if built[0].record["issue"] != "测试日报-2026-11-25":  # the examples' pages fit at full width; the corpus's text pages not
        assert {e["image"]["width"] for issue in built for e in issue.record["pages"]} == {1600}


# ---- areas --------------------------------------------------------------------------------------


def ink_box(drawn) -> tuple[float, float, float, float]:
    """x0, y0, x1, y1 (pt from the page bottom) of a drawn line's glyphs: descent 0.12 em, ascent
    0.88 em; from where the set line starts to where it ends (an opening bracket set half-width at
    the start, a comma at the end count half: their blank half is what hangs out, not their ink)."""
    glyphs = [g for g in drawn.line.glyphs if g.text.strip()]
    size = max(g.size for g in glyphs)
    left, right = max(0.0, min(g.x for g in glyphs)), drawn.line.right or max(g.x + g.width for g in glyphs)
    return drawn.x + left, drawn.baseline - 0.12 * size, drawn.x + right, drawn.baseline + 0.88 * size


def inside(box: tuple[float, float, float, float], rects: list, height: float) -> bool:
    """Whether `box` (from the page bottom) lies within one of `rects` (pt from the top-left)."""
    x0, y0, x1, y1 = box
    top, bottom = height - y1, height - y0
    return any(
        x0 >= x - TOLERANCE and x1 <= x + w + TOLERANCE and top >= y - TOLERANCE and bottom <= y + h + TOLERANCE
        for x, y, w, h in rects
    )


def test_every_line_and_photo_of_an_article_lies_in_its_area(built):
    checked = 0
    for issue in built:
        for page, entry in zip(issue.made.pages, issue.record["pages"], strict=True):
            rects = {area["article"]: area["rects"] for area in entry["areas"]}
            for drawn in page.lines:
                if drawn.tag is not None and not drawn.artifact and drawn.line.text.strip():
                    assert inside(ink_box(drawn), rects[drawn.tag.article], entry["height"]), (page.label, drawn.line.text)
                    checked += 1
            for image in page.images:
                if image.article is not None:
                    box = (image.x, image.y, image.x + image.width, image.y + image.height)
                    assert inside(box, rects[image.article], entry["height"]), (page.label, image.file)
    assert checked > 100


def test_no_two_articles_areas_overlap(built):
    for issue in built:
        for entry in issue.record["pages"]:
            owned = [(area["article"], rect) for area in entry["areas"] for rect in area["rects"]]
            for i, (a, (x, y, w, h)) in enumerate(owned):
                for b, (u, v, s, t) in owned[i + 1 :]:
                    if a != b:
                        assert min(x + w, u + s) <= max(x, u) or min(y + h, v + t) <= max(y, v), (entry["number"], a, b)


def in_order(wanted: str, text: str) -> bool:
    """Whether the characters of `wanted` come in `text` in that order."""
    rest = iter(text)
    return all(char in rest for char in wanted)


def test_each_page_has_an_area_for_every_article_the_pdf_has_on_it(built):
    """Read independently from the PDF's tagged structure: the articles (Art elements) with text
    on each page are those with areas there, jump pages included; and the text inside the area
    of an article starting on the page has its headline (area indexes follow the issue's article order)."""
    for issue in built:
        pages = read_tags(issue.made.data)
        document = pdfium.PdfDocument(issue.made.data)
        for n, (tags, entry) in enumerate(zip(pages, issue.record["pages"], strict=True)):
            on_page = {int(art.id[3:]) for root in tags.roots for art in root.find("Art") if plain(art.text())}
            assert {area["article"] for area in entry["areas"]} == on_page
            textpage = document[n].get_textpage()
            for area in entry["areas"]:
                text = "".join(
                    textpage.get_text_bounded(x, entry["height"] - y - h, x + w, entry["height"] - y)
                    for x, y, w, h in area["rects"]
                )
                starts = any(not m.continued for m in issue.made.pages[n].modules if m.article == area["article"])
                if starts:  # its headline is in its area (read in order, though a byline beside it may come between)
                    assert in_order(plain(issue.articles[area["article"]].headline.title), plain(text))


@pytest.mark.shared
def test_an_article_going_on_at_another_page_has_an_area_there(corpus):
    """Each 下转: the page it names has an area of the article (and says 上接 in it)."""
    jumps = [(page.label, m.article, m.jump_to) for page in corpus.made.pages for m in page.modules if m.jump_to]
    assert len(jumps) >= 3
    entries = {entry["label"]: entry for entry in corpus.record["pages"]}
    for label, article, to in jumps:
        assert label != to
        assert article in [area["article"] for area in entries[to]["areas"]]


def test_an_articles_boxes_are_listed_and_only_exact_unions_merged():
    """Two boxes of one article, one right under the other at the same width: one rect; a
    headline across more columns than the body under it: two rects; a 导读 box: no area."""
    page = Page("1")
    page.modules += [
        ModuleBox(0, 50.0, 1000.0, 500.0, 100.0, 4, True, False),
        ModuleBox(0, 50.0, 900.0, 500.0, 200.0, 4, True, True),
        ModuleBox(1, 50.0, 600.0, 1000.0, 50.0, 8, True, False),
        ModuleBox(1, 50.0, 536.5, 495.0, 300.0, 4, True, True),
        ModuleBox(2, 800.0, 1400.0, 200.0, 80.0, 2, True, False, kind="digest"),
    ]
    areas = page_areas(page, 1500.0)
    assert areas == [
        {"article": 0, "rects": [[50.0, 500.0, 500.0, 300.0]]},
        {"article": 1, "rects": [[50.0, 900.0, 1000.0, 50.0], [50.0, 963.5, 495.0, 300.0]]},
    ]


# ---- page PDFs ----------------------------------------------------------------------------------


def page_texts(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    try:
        return [document[n].get_textpage().get_text_range() for n in range(len(document))]
    finally:
        document.close()


def rendered(data: bytes, number: int = 0) -> bytes:
    document = pdfium.PdfDocument(data)
    try:
        return document[number].render(scale=0.5).to_pil().tobytes()
    finally:
        document.close()


def test_each_page_pdf_is_its_page_alone_with_no_link_out_of_it(built):
    """Its text and its look (pixel for pixel) are the issue page's, with only the glyphs it shows."""
    for issue in built:
        texts = page_texts(issue.made.data)
        pdfs = [(issue.folder / "web" / entry["pdf"]).read_bytes() for entry in issue.record["pages"]]
        assert all(rendered(data) == rendered(issue.made.data, n) for n, data in enumerate(pdfs))
        if len(pdfs) >= 5:  # a page carries its own glyphs, not the whole issue's (1.2 MB a page of the corpus)
            assert max(map(len, pdfs)) < len(issue.made.data) / 3
        with pikepdf.open(io.BytesIO(issue.made.data)) as whole:
            title = str(whole.docinfo.Title)
        for entry, text in zip(issue.record["pages"], texts, strict=True):
            data = (issue.folder / "web" / entry["pdf"]).read_bytes()
            assert page_texts(data) == [text]
            with pikepdf.open(io.BytesIO(data)) as pdf:
                assert str(pdf.docinfo.Title) == f"{title} 第{entry['label']}版"
                assert not {"/Metadata", "/StructTreeRoot", "/Outlines"} & set(pdf.Root.keys())
                page = pdf.pages[0].obj
                for annotation in page.get("/Annots", []):
                    if annotation.Subtype == "/Link":
                        assert annotation.Dest[0].objgen == page.objgen


def test_the_cut_links_are_the_ones_to_other_pages(examples):
    """The front page's 导读 links go to an inside page: gone from its page PDF."""
    issue = next(i for i in examples if len(i.made.pages) > 1)
    front = issue.made.pages[0]
    assert front.links
    with pikepdf.open(issue.folder / "web" / issue.record["pages"][0]["pdf"]) as pdf:
        assert "/Annots" not in pdf.pages[0].obj


# ---- the same bytes; rebuilds -------------------------------------------------------------------


def contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_same_issue_gives_the_same_bytes(examples, tmp_path):
    issue = next(i for i in examples if len(i.made.pages) > 1)
    again = build(issue.made, issue.articles, tmp_path / "again")
    assert contents(again.folder) == contents(issue.folder)
    times = {p: p.stat().st_mtime_ns for p in (again.folder / "web").iterdir()}
    assert write_page_files(again.folder / f"{issue.made.key}.pdf", issue.made.pages, again.folder, issue.made.key) == again.files
    assert {p: p.stat().st_mtime_ns for p in (again.folder / "web").iterdir()} == times  # unchanged files untouched


def test_a_rebuild_with_fewer_pages_removes_the_stale_page_files_only(examples, tmp_path):
    issue = next(i for i in examples if len(i.made.pages) > 1)
    key = issue.made.key
    folder = build(issue.made, issue.articles, tmp_path / key).folder
    (folder / "web" / "articles.json").write_text("{}", encoding="utf-8")  # the web task's: not ours to remove
    pdf = pikepdf.open(io.BytesIO(issue.made.data))
    del pdf.pages[1:]
    pdf.save(folder / f"{key}.pdf")
    files = write_page_files(folder / f"{key}.pdf", issue.made.pages[:1], folder, key)
    assert sorted(files) == sorted(["web/p01.webp", "web/p01.png", "web/p01-thumb.webp", f"web/{key}-p01.pdf", PAGES])
    left = sorted(p.name for p in (folder / "web").iterdir())
    assert left == sorted([f"{key}-p01.pdf", "articles.json", "p01-thumb.webp", "p01.png", "p01.webp", "pages.json"])
    assert [p["number"] for p in json.loads((folder / PAGES).read_text(encoding="utf-8"))["pages"]] == [1]


def test_a_pdf_that_is_not_the_laid_out_pages_is_refused(examples, tmp_path):
    issue = examples[1]
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(issue.made.data)
    with pytest.raises(ValueError, match="pages in the PDF"):
        write_page_files(pdf, issue.made.pages[:1] * 3, tmp_path, "x")


def test_a_build_records_the_page_files_and_a_second_run_keeps_them(tmp_path):
    """`publish build` (the batch API): the pdf task's record lists the web files, all there;
    run again, nothing is redone and no file changes; without the web edition none are made."""
    from publish.batch import build as build_all
    from publish.config import BuildSettings

    articles = [a for a in publish.load(EXAMPLES) if a.paper.name == "青梧晚报"]
    out = tmp_path / "site"
    build_all(articles, out, BuildSettings(audio=False))
    [folder] = [p for p in out.iterdir() if (p / "build.json").is_file()]  # the issue's, not the site's folders
    made = json.loads((folder / "build.json").read_text(encoding="utf-8"))["pdf"]["files"]
    web = [name for name in made if name.startswith("web/")]
    ours = [p for p in (folder / "web").iterdir() if p.suffix in (".webp", ".png", ".pdf") or p.name == "pages.json"]
    assert sorted(web) == sorted(p.relative_to(folder).as_posix() for p in ours)  # (the web task's files are its own)
    assert PAGES in web and f"web/{folder.name}-p01.pdf" in web
    before = contents(folder / "web")
    build_all(articles, out, BuildSettings(audio=False))
    assert contents(folder / "web") == before
    build_all(articles, tmp_path / "plain", BuildSettings(audio=False, web=False))
    assert not list((tmp_path / "plain").rglob("web"))
