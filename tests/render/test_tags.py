"""Tagged PDF: a screen reader (pdfium's structure-tree reader) finds each article's whole
text under its own Art, in reading order, across its jump pages; nothing is drawn outside
tags and artifacts; photos are Figures with their caption as alternative text."""

from __future__ import annotations

import dataclasses
import datetime
import io
import itertools

import pikepdf
import pytest

import publish
from publish.article import Article, Block, BlockKind
from publish.issue import group_issues
from publish.layout.blocks import block_text, headline_parts
from publish.layout.columns import placed_captions, placed_photos
from publish.layout.flow import flow_articles
from publish.layout.page import Laid
from publish.layout.template import load_template
from publish.pipeline import newspaper_pdfs
from publish.pipeline import printed_text as printed_text_of
from publish.render.output import Output
from publish.render.pdf import DocInfo, render_flow, render_pages
from publish.render.tags import art_id
from publish.typeset import FontStack
from tests.conftest import EXAMPLES
from tests.tagged import arts, plain, read_tags


def printed_text(article: Article) -> str:
    """What the article prints, in reading order: headline block, captions of its photos, body."""
    parts = [text for text, _, _ in headline_parts(article)]
    for photo in placed_photos(article):
        inside = photo.block is not None and photo.block < len(article.blocks)
        block = article.blocks[photo.block] if inside else Block(BlockKind.CAPTION, photo.caption, credit=photo.credit or None)
        parts.append(block_text(block))
    under = placed_captions(article)
    parts += [block_text(b) for i, b in enumerate(article.blocks) if i not in under]
    return plain("".join(parts))


def _elements(node) -> list:
    """Every structure element under `node`, depth first."""
    found = []
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            found += [kid, *_elements(kid)]
    return found


def check_issues(articles: list[Article], **options) -> list:
    """Every issue's PDF read back: each article's text whole under its Art, the Arts in the
    outline's order, no text outside tags and artifacts."""
    issues = group_issues(articles)
    made = newspaper_pdfs(articles, jobs=1, **options)
    assert len(made) == len(issues)
    for issue, pdf in zip(issues, made, strict=True):
        pages = read_tags(pdf.data)
        assert [p.loose for p in pages] == [""] * len(pages)
        assert [p.unmarked for p in pages] == [0] * len(pages)  # rules, logos, photos: tagged or artifacts
        levels = heading_levels(pdf.data)  # PDF/UA-1: the first heading an H1 (Matterhorn 14-002), none skipped (14-003)
        assert levels[:1] == [1] and skipped(levels) == [], pdf.key
        found = arts(pages)
        outline = [entry for page in pdf.pages for entry in page.outline]
        assert sorted(e.article for e in outline) == list(range(len(issue.articles)))  # every article opens once
        assert list(found) == [art_id(e.article) for e in outline]  # the Arts in reading order
        for entry in outline:
            title, text = found[art_id(entry.article)]
            assert title == entry.title
            assert plain(text) == printed_text(issue.articles[entry.article]), title
    return made


@pytest.fixture(scope="module")
def examples():
    return check_issues(publish.load(EXAMPLES))


def test_every_example_article_reads_whole_under_its_art(examples):
    assert len(examples) == 3


def test_photos_are_figures_with_their_caption_as_alternative_text(examples):
    for made in examples:
        figures, captions = [], []
        for page in read_tags(made.data):
            for root in page.roots:
                figures += [(f.alt, f.kids) for f in root.find("Figure")]
                captions += [c.text() for c in root.find("Caption")]
        photos = [image for page in made.pages for image in page.images if image.cover]
        assert len(figures) == len(photos) == len(captions)
        for (alt, kids), caption in zip(figures, captions, strict=True):
            assert kids == [""]  # the photo's marked content (no text)
            assert plain(alt) == plain(caption) and alt


def test_headlines_are_h1_h2_and_bylines_p(examples):
    [front] = [made for made in examples if any(p.images for p in made.pages)][:1]
    page = read_tags(front.data)[0]
    art = page.roots[0].find("Art")[0]
    kinds = [kid.type for kid in art.kids]
    assert kinds[:3] == ["P", "H1", "H2"]  # 引题, 主题, 副题 of the front page's lead
    assert set(kinds) <= {"H1", "H2", "P", "Figure", "Caption", "Link"}


def heading_levels(data: bytes) -> list[int]:
    """The levels of the headings in the structure tree, in its order (H1 → 1 …)."""
    levels: list[int] = []

    def walk(element) -> None:
        kind = str(element.get("/S", ""))
        if kind[:2] == "/H" and kind[2:].isdigit():
            levels.append(int(kind[2:]))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if isinstance(kids, pikepdf.Dictionary) else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid)

    with pikepdf.open(io.BytesIO(data)) as pdf:
        walk(pdf.Root.StructTreeRoot.K[0])
    return levels


def skipped(levels: list[int]) -> list[tuple[int, int]]:
    """Where a heading goes more than one level down from the one before (PDF/UA-1: Matterhorn 14-003)."""
    return [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]


def test_a_heading_that_skips_a_level_is_found():
    assert skipped([1, 2, 2, 1, 3]) == [(1, 3)] and skipped([1, 2, 1, 2]) == []


def test_an_untagged_pdf_has_no_structure(examples):
    made = examples[0]
    laid = Laid(made.pages, load_template("broadsheet").grid)
    data = render_pages(laid, DocInfo(title="t"), output=Output(tagged=False))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        content = b"".join(page.Contents.read_bytes() for page in pdf.pages)
        assert b"/MCID" not in content and b"/Artifact BMC" in content
    tagged = render_pages(laid, DocInfo(title="t"))
    assert tagged == render_pages(laid, DocInfo(title="t"))  # the same bytes every time
    assert len(tagged) < 1.1 * len(data)


def test_a_galley_tags_each_article_as_an_art_of_its_parts():
    articles = publish.load(EXAMPLES)
    flow = flow_articles(articles, FontStack(), jobs=1)
    pages = read_tags(render_flow(flow, DocInfo(title="galley")))
    assert [p.loose for p in pages] == [""] * len(pages)
    found = arts(pages)
    assert list(found) == [art_id(n) for n in range(len(articles))]
    for n, article in enumerate(articles):
        title, text = found[art_id(n)]
        assert title == article.headline.printed_title
        assert plain(text) == plain("".join(printed_text_of([article])))


@pytest.mark.shared
def test_a_corpus_issue_reads_whole_with_its_jumps(shared):
    """The corpus as one issue of one paper and date (as benchmarks/issue_pages.py makes it):
    its articles fill the pages and jump between them, every one whole under its own Art."""
    articles = []
    for n, article in enumerate(publish.load(shared / "corpus")):
        paper = dataclasses.replace(article.paper, name="测试日报", date=datetime.date(2026, 11, 25), page=None, page_name=None)
        articles.append(dataclasses.replace(article, id=f"tags-{n}", paper=paper))
    [made] = check_issues(articles)
    jumps = [link for page in made.pages for link in page.links if link.article is not None]
    assert jumps  # the issue has 下转 links: each is a Link element in its article's Art
    with pikepdf.open(io.BytesIO(made.data)) as pdf:
        links = [e for e in _elements(pdf.Root.StructTreeRoot) if e.S == "/Link"]
        assert len(links) == sum(len(page.links) for page in made.pages)
        in_arts = [link for link in links if link.P.S == "/Art"]
        assert len(in_arts) == len(jumps)
        assert all(str(link.K[0].Obj.Contents).startswith("下转第") for link in in_arts)


def test_a_photo_that_cannot_be_drawn_leaves_no_figure(examples, tmp_path):
    """A photo file gone between layout and drawing: its box stays blank, its Figure goes, the
    rest of the structure stands (the caption is still read)."""
    made = next(m for m in examples if any(i.cover for p in m.pages for i in p.images))
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a jpeg")
    pages = [dataclasses.replace(page, images=list(page.images)) for page in made.pages]
    first = next(i for i, image in enumerate(pages[0].images) if image.cover)
    pages[0].images[first] = dataclasses.replace(pages[0].images[first], file=str(broken))
    problems = []
    laid = Laid(pages, load_template("broadsheet").grid)
    data = render_pages(laid, DocInfo(title="t"), on_photo=lambda image, problem: problems.append(problem))
    assert len(problems) == 1
    read = read_tags(data)
    figures = [f for page in read for root in page.roots for f in root.find("Figure")]
    photos = [image for page in pages for image in page.images if image.cover]
    assert len(figures) == len(photos) - 1
    assert [p.loose for p in read] == [""] * len(read) and [p.unmarked for p in read] == [0] * len(read)


@pytest.mark.shared
@pytest.mark.parametrize("pages", ["auto", "keep"])
def test_the_corpus_papers_issues_read_whole(shared, pages):
    """The corpus as its papers printed it (each paper and date an issue; 版次 kept or shared)."""
    assert len(check_issues(publish.load(shared / "corpus"), pages=pages)) > 1


def test_the_parent_tree_leads_back_from_every_mcid_and_link(examples):
    """What a reader uses to go from content to its element: each page's /StructParents entry
    lists, at every MCID, the element holding it; each link's /StructParent its Link element."""
    for made in examples:
        with pikepdf.open(io.BytesIO(made.data)) as pdf:
            root = pdf.Root.StructTreeRoot
            nums = root.ParentTree.Nums
            parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
            held = 0
            for element in _elements(root):
                for kid in element.K:
                    if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                        continue
                    if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                        assert parents[int(kid.Obj.StructParent)].objgen == element.objgen
                        continue
                    page, mcid = (element.Pg, int(kid)) if not isinstance(kid, pikepdf.Dictionary) else (kid.Pg, int(kid.MCID))
                    assert parents[int(page.StructParents)][mcid].objgen == element.objgen
                    held += 1
            assert held == sum(len(parents[int(page.StructParents)]) for page in pdf.pages)
            assert int(root.ParentTreeNextKey) == len(parents)
            assert all(page.Tabs == "/S" for page in pdf.pages)


def test_a_run_of_an_elements_lines_is_one_marked_content_sequence(examples):
    """Lines of one element drawn one after another share one MCID (a paragraph's lines down a
    column): furniture between them, or a hyphen drawn as an artifact, starts a new one."""
    sequences = lines = 0
    for made in examples:
        for page, read in zip(made.pages, read_tags(made.data), strict=True):
            runs, last = 0, None
            for drawn in page.lines:
                if drawn.artifact:
                    last = None
                    continue
                runs += drawn.tag != last
                lines += 1
                last = None if any(g.artifact for g in drawn.line.glyphs) else drawn.tag
            assert len(read.marked) == runs  # the MCIDs holding text (a photo's holds none)
            sequences += runs
    assert sequences * 3 < lines
