"""Copy the page search must set whatever its shape: a story longer than any page, a last story
that cannot fit, photos taller than a page, more photos than a page holds, jumps over several
pages, an editor's ranks — every one gives pages, its text whole, its jump lines right."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

import publish
from publish.issue import page_number
from publish.pipeline import newspaper_pdfs
from tests.conftest import require_shared

PARAGRAPH = "青梧市今年以来持续推进老旧小区改造，居民生活条件明显改善，社区服务更加便利，街坊们说变化看得见。"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "publish", *args], capture_output=True, text=True, timeout=300)


def article(folder: Path, name: str, title: str, paragraphs: int, page: str = "", extra: str = "") -> None:
    meta = f"---\ntitle: {title}\npaper: 青梧日报\ndate: 2026-11-20\n" + (f"page: '{page}'\n" if page else "") + "---\n\n"
    body = "\n\n".join(f"{n}号段落。{PARAGRAPH}" for n in range(paragraphs))
    (folder / name).write_text(meta + body + extra, encoding="utf-8")


def pdf_and_check(folder: Path, out: Path, *options: str) -> tuple[subprocess.CompletedProcess, str]:
    made = run_cli("pdf", str(folder), "-o", str(out), "--no-previews", *options)
    checked = run_cli("check", *map(str, sorted(out.glob("*.pdf"))), "--source", str(folder))
    return made, checked.stdout


@pytest.mark.parametrize("template", ["broadsheet", "a4"])
def test_a_story_longer_than_any_page_goes_on_page_after_page(tmp_path, template):
    folder = tmp_path / "in"
    folder.mkdir()
    article(folder, "long.md", "一篇很长的报道", 180)
    made, checked = pdf_and_check(folder, tmp_path / "out", "-t", template)
    assert made.returncode == 0, made.stderr
    assert int(re.search(r"(\d+) pages", made.stderr).group(1)) >= 2
    assert "text: same as the source" in checked, checked


def test_a_last_story_that_cannot_fit_and_pages_kept_as_printed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    article(folder, "a.md", "头版长文", 150, page="1")
    article(folder, "b.md", "五版短讯", 3, page="5")
    article(folder, "c.md", "头版第二篇长文", 120, page="1")
    article(folder, "d.md", "头版第三篇长文", 120, page="1")
    for pages in ("auto", "keep"):
        made, checked = pdf_and_check(folder, tmp_path / pages, "--pages", pages)
        assert made.returncode == 0, made.stderr
        assert "text: same as the source" in checked, checked


def test_every_jump_line_names_the_page_its_story_came_from(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    article(folder, "long.md", "连载长文", 400, page="1")
    for n in range(2, 8):
        article(folder, f"s{n}.md", f"第{n}版短讯", 4, page=str(n))
    [issue] = newspaper_pdfs(publish.load(folder), jobs=1)
    path = tmp_path / "issue.pdf"
    path.write_bytes(issue.data)
    pdf = pdfium.PdfDocument(str(path))
    texts = ["".join(page.get_textpage().get_text_range().split()) for page in pdf]
    pdf.close()
    labels = [p.label for p in issue.pages]
    continued = 0
    for n, text in enumerate(texts):
        for came_from in re.findall(r"上接第([\d–]+)版", text):
            assert came_from == labels[n - 1], (n, came_from, labels)
            continued += 1
    assert continued >= 2  # the story went on over three pages or more


def test_photos_taller_than_a_page_print_narrower_and_the_impossible_are_said(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in (1, 2):
        Image.new("RGB", (2400, 1800), (120, 60 * n, 30)).save(folder / f"p{n}.jpg", quality=80)
    Image.new("RGB", (1000, 1500), (20, 120, 60)).save(folder / "tall.jpg")
    Image.new("RGB", (1, 5000), (20, 20, 60)).save(folder / "strip.png")
    photos = "".join(
        f'\n\n![{name}的说明](/{name} "本报记者 某某 摄")'.replace("(/", "(")
        for name in ("p1.jpg", "p2.jpg", "tall.jpg", "strip.png")
    )
    article(folder, "a.md", "四张照片", 6, extra=photos)
    for template in ("broadsheet", "a4"):
        made, checked = pdf_and_check(folder, tmp_path / template, "-t", template)
        assert made.returncode == 0, made.stderr
        assert "photo strip.png not printed (1×5000 px is too narrow or wide to print within a 15% crop)" in made.stderr
        assert "text: same as the source" in checked, checked
        [report] = json.loads(run_cli("check", "--layout", "--json", *map(str, (tmp_path / template).glob("*.pdf"))).stdout)
        placed = sum(p["photos"]["placed"] for p in report["pages"] if p["photos"])
        captioned = sum(p["photos"]["captioned"] for p in report["pages"] if p["photos"])
        assert placed == captioned == 3
        assert not [f for f in report["faults"] if f["rule"] in ("layout-overlap", "layout-offgrid")]


def test_more_photos_than_an_article_prints_are_said_once_each(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    extra = ""
    for n in range(9):
        Image.new("RGB", (800, 600), (n * 20, 80, 120)).save(folder / f"p{n}.jpg", quality=70)
        extra += f'\n\n![第{n}张](p{n}.jpg "本报记者 某某 摄")'
    article(folder, "a.md", "九张照片", 4, extra=extra)
    made, checked = pdf_and_check(folder, tmp_path / "out")
    assert made.returncode == 0, made.stderr
    assert made.stderr.count("an article prints 6 photos at most") == 3
    assert "text: same as the source" in checked, checked


def test_a_rank_outweighs_no_rank(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    records = [
        {"title": "未排序的稿件", "content": PARAGRAPH * 20, "paper": "青梧日报", "date": "2026-11-20"},
        {"title": "排第一的稿件", "content": PARAGRAPH * 4, "paper": "青梧日报", "date": "2026-11-20", "rank": 1},
    ]
    (folder / "r.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    [issue] = newspaper_pdfs(publish.load(folder), jobs=1)
    lead = min(issue.pages[0].modules, key=lambda m: m.weight)
    assert publish.load(folder)[lead.article].title == "排第一的稿件"


def test_auto_keeps_the_papers_page_order(tmp_path):
    """Under --pages auto the stories start in their 版次 order page after page (a page's 头条 is
    chosen among the stories of its own first 版次), and each page is labelled by them."""
    shared = require_shared()
    for issue in newspaper_pdfs(publish.load(shared / "corpus"), jobs=1):
        articles = publish.load(shared / "corpus")
        highest = 0
        for page in issue.pages:
            starts = [m.article for m in page.modules if not m.continued]
            numbers = [page_number(issue_articles(issue, shared)[i].paper.page) for i in starts]
            numbers = [n for n in numbers if n is not None]
            if numbers:
                assert min(numbers) >= highest, (issue.key, page.label, numbers, highest)
                highest = max(numbers)
                assert str(min(numbers)) in page.label or page.label.startswith(str(min(numbers)))
        del articles


def issue_articles(issue, shared):
    """The articles of `issue`, in the order the layout numbered them."""
    from publish.issue import group_issues

    for group in group_issues(publish.load(shared / "corpus")):
        if group.key == issue.key:
            return group.articles
    raise AssertionError(issue.key)


def test_a_build_says_which_photos_do_not_print(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    Image.new("RGB", (1, 5000), (20, 20, 60)).save(folder / "strip.png")
    article(folder, "a.md", "细条照片", 3, extra='\n\n![细条的说明](strip.png "本报记者 某某 摄")')
    built = run_cli("build", str(folder), "-o", str(tmp_path / "site"), "--no-audio", "-j", "1")
    assert built.returncode == 0, built.stderr
    assert "photo strip.png not printed (1×5000 px is too narrow or wide to print within a 15% crop)" in built.stderr
