"""`publish check` finds composition faults in any PDF — and none in ours."""

from __future__ import annotations

import json

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Paragraph
from typer.testing import CliRunner

import publish
from publish.check.pdf import check_pdf
from publish.cli import app
from publish.pipeline import articles_pdf, printed_text
from publish.typeset.fonts import FONT_DIR
from tests.conftest import EXAMPLES

runner = CliRunner()
TEXT = (
    "入冬以来，青梧市各街道陆续开放了十二处暖心驿站，为环卫工人、快递小哥和外卖骑手提供热水、午休和手机充电等服务。"
    "驿站的工作人员说，这里每天要烧开几十壶热水，“来的人多了，说明大家真用得上”。一位骑手告诉记者：“冬天最怕手机没电，"
    "现在送完一单就能进来充一会儿，心里踏实多了。”街道还计划在春节前再增设五处驿站，并在地图软件上标注位置。"
)


@pytest.fixture(scope="module")
def examples_pdf(tmp_path_factory):
    articles = publish.load(EXAMPLES)
    path = tmp_path_factory.mktemp("pdf") / "examples.pdf"
    path.write_bytes(articles_pdf(articles).data)
    return path, printed_text(articles)


def test_our_pdf_passes(examples_pdf):
    path, text = examples_pdf
    report = check_pdf(path, text)
    assert report.faults == []
    assert report.ok and report.text["equal"]
    assert report.checked_flush > 50 and report.flush == report.checked_flush
    assert report.max_expansion <= 0.25 and report.share_within_target >= 0.95
    assert all(f["embedded"] and f["subset"] and f["tounicode"] for f in report.fonts)


def stock_reportlab_pdf(path) -> None:
    """What reportlab alone does with Chinese: its CJK wrap in a 13-character column."""
    pdfmetrics.registerFont(TTFont("stock-serif", str(FONT_DIR / "PublishSerifSC-Regular.ttf")))
    canvas = Canvas(str(path), pagesize=(300, 800), initialFontName="stock-serif")
    style = ParagraphStyle("s", fontName="stock-serif", fontSize=9, leading=13.5, wordWrap="CJK", alignment=4)
    frame = Frame(40, 40, 117, 700, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    frame.addFromList([Paragraph(TEXT * 3, style)], canvas)
    canvas.showPage()
    canvas.save()


def test_stock_reportlab_gets_its_faults_named(tmp_path):
    path = tmp_path / "stock.pdf"
    stock_reportlab_pdf(path)
    report = check_pdf(path, TEXT * 3)
    counts = report.counts()
    for kind in ("prohibited line start", "prohibited line end", "line not flush", "glyph outside its column"):
        assert counts.get(kind, 0) >= 1, (kind, counts)
    assert not report.ok


def spaced_pdf(path, rows: list[list[tuple[str, float]]], left: float = 40, size: float = 9) -> None:
    """A PDF of body lines, each one text object made of (text, character spacing after it) parts."""
    pdfmetrics.registerFont(TTFont("placed-serif", str(FONT_DIR / "PublishSerifSC-Regular.ttf")))
    canvas = Canvas(str(path), pagesize=(300, 800), initialFontName="placed-serif")
    for n, row in enumerate(rows):
        text = canvas.beginText(left, 760 - n * 13.5)
        text.setFont("placed-serif", size)
        for part, spacing in row:
            text.setCharSpace(spacing)
            text.textOut(part)
        canvas.drawText(text)
    canvas.showPage()
    canvas.save()


BODY = ["一二三四五六七八九十甲乙丙", "丁戊己庚辛壬癸子丑寅卯辰巳", "午未申酉戌亥天地玄黄宇宙洪", "荒日月盈昃辰宿列张寒来暑往"]


def test_spread_and_overlap_are_measured(tmp_path):
    rows = [[(line, 0.0)] for line in BODY]
    rows[1] = [("丁戊己庚辛壬癸子丑寅", 1.8), ("卯", 0.0)]  # 0.2 em between characters, flush at 117 pt
    rows[2] = [("午未申酉", 0.0), ("戌", -4.0), ("亥天地玄黄宇宙洪", 0.0)]  # 亥 drawn 4 pt into 戌
    path = tmp_path / "placed.pdf"
    spaced_pdf(path, rows)
    report = check_pdf(path)
    counts = report.counts()
    assert [f.text for f in report.faults if f.kind == "overlapping glyphs"] == ["午未申酉戌亥天地玄黄宇宙洪"]
    assert report.max_expansion == pytest.approx(0.2, abs=0.01)
    assert "inter-character expansion above 0.25 em" not in counts


def test_expansion_above_a_quarter_em_is_a_fault(tmp_path):
    rows = [[(line, 0.0)] for line in BODY]
    rows[1] = [("丁戊己庚辛壬癸子丑", 3.0), ("寅", 0.0)]  # ⅓ em between characters, flush at 117 pt
    path = tmp_path / "loose.pdf"
    spaced_pdf(path, rows)
    report = check_pdf(path)
    assert [f.kind for f in report.faults] == ["inter-character expansion above 0.25 em"]
    assert report.max_expansion == pytest.approx(1 / 3, abs=0.01)
    assert report.flush == report.checked_flush == 3


def test_unembedded_font_is_a_fault(tmp_path):
    path = tmp_path / "helvetica.pdf"
    canvas = Canvas(str(path))
    canvas.drawString(72, 720, "Plain Helvetica, not embedded.")
    canvas.showPage()
    canvas.save()
    report = check_pdf(path)
    assert "font not embedded" in report.counts()


def test_cli_check(examples_pdf, tmp_path):
    path, _ = examples_pdf
    result = runner.invoke(app, ["check", str(path), "--source", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert f"{path}: OK" in result.stdout and "text: same as the source" in result.stdout
    result = runner.invoke(app, ["check", str(path), "--json"])
    [data] = json.loads(result.stdout)
    assert data["ok"] is True and data["faults"] == {} and data["flush"]["checked"] == data["flush"]["flush"]
    stock = tmp_path / "stock.pdf"
    stock_reportlab_pdf(stock)
    result = runner.invoke(app, ["check", str(stock)])
    assert result.exit_code == 1 and "FAULTS" in result.stdout
    result = runner.invoke(app, ["check", str(tmp_path / "missing.pdf")])
    assert result.exit_code == 1 and result.stderr == f"publish: error: {tmp_path / 'missing.pdf'}: no such file or directory\n"


def test_a_missing_character_mark_is_flagged_unless_the_source_holds_it(tmp_path):
    pdfmetrics.registerFont(TTFont("stock-serif", str(FONT_DIR / "PublishSerifSC-Regular.ttf")))
    path = tmp_path / "geta.pdf"
    canvas = Canvas(str(path), pagesize=(300, 200), initialFontName="stock-serif")
    canvas.setFont("stock-serif", 9)
    canvas.drawString(40, 100, "店主名叫〓，是本地人。")
    canvas.showPage()
    canvas.save()
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert "page 1: missing character (〓): 店主名叫〓，是本地人。 (x=76.0: printed for a character no font had)" in result.stdout
    assert [f.kind for f in check_pdf(path, "店主名叫〓，是本地人。").faults] == []  # the source's own 〓


def same_report(a, b) -> bool:
    return (a.to_dict(), a.extracted, a.furniture, a.expansions, a.han_latin) == (
        b.to_dict(),
        b.extracted,
        b.furniture,
        b.expansions,
        b.han_latin,
    )


def test_pages_checked_on_several_cores_give_the_same_report(tmp_path, monkeypatch):
    from publish.check import pdf as check

    monkeypatch.setattr(check, "FORK_MIN_BYTES", 0)  # a run a page, however small the PDF
    # page 1 set mostly at 10 pt, the document at 9 pt: page 1's run assumes 10 pt and is checked again
    pdfmetrics.registerFont(TTFont("stock-serif", str(FONT_DIR / "PublishSerifSC-Regular.ttf")))
    mixed = tmp_path / "mixed.pdf"
    canvas = Canvas(str(mixed), pagesize=(300, 800), initialFontName="stock-serif")
    for size, lines in ((10, 6), (9, 8), (9, 8)):
        canvas.setFont("stock-serif", size)
        for n in range(lines):
            canvas.drawString(40, 760 - n * 1.5 * size, BODY[n % len(BODY)])
        canvas.showPage()
    canvas.save()
    again = []
    part = check._check_part

    def counted(path, pages, style=None):
        if style is not None:
            again.append(pages)
        return part(path, pages, style)

    monkeypatch.setattr(check, "_check_part", counted)
    one, three = check_pdf(mixed, jobs=1), check_pdf(mixed, jobs=3)
    assert same_report(one, three) and one.body_lines > 0
    assert again == [range(0, 1)]  # checked again under the document's style
