"""`publish check --layout`: the page layout record our PDFs carry, and the measures read from it."""

from __future__ import annotations

import json
import shutil

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from typer.testing import CliRunner

from publish.check.layout import check_layout, kendall_tau, largest_empty, read_records
from publish.cli import app
from publish.clreq import hao_step as ladder_step
from publish.layout.grid import Grid
from publish.layout.page import Drawn, Laid, ModuleBox, Page, PlacedImage
from publish.layout.record import page_record
from publish.render.pdf import DocInfo, render_pages
from publish.typeset import FontStack
from publish.typeset.display import compose_display
from publish.typeset.fonts import FONT_DIR
from tests.conftest import EXAMPLES

runner = CliRunner()
GRID = Grid(width=600, height=800, top=40, bottom=40, columns=4, column_chars=12, size=9)  # 53 rows of 13.5 pt
ROWS = GRID.rows


def module(article: int, column: int, width: int, row: int, rows: int, **fields) -> ModuleBox:
    """A module box `width` columns wide and `rows` grid rows tall, its top at grid row `row`."""
    fields.setdefault("complete", True)
    fields.setdefault("continued", False)
    return ModuleBox(article, GRID.column_left(column), GRID.row_top(row), GRID.span(width), rows * GRID.pitch, width, **fields)


def headed(article: int, column: int, width: int, row: int, rows: int, title: str, size: float, fonts, **fields):
    """A module with its 主题 drawn at its top: (the module, the headline's lines)."""
    lines = compose_display(title, "headline", size, GRID.span(width), fonts)
    x, top = GRID.column_left(column), GRID.row_top(row)
    baseline = top - size
    drawn = [Drawn(line, x, baseline - n * size * 1.2) for n, line in enumerate(lines)]
    box = (x, baseline - (len(lines) - 1) * size * 1.2 - 0.12 * size, x + GRID.span(width), top)
    return module(article, column, width, row, rows, title_size=size, head_box=box, **fields), drawn


def pdf_of(tmp_path, *pages: Page, name: str = "pages.pdf"):
    path = tmp_path / name
    path.write_bytes(render_pages(Laid(list(pages), GRID), DocInfo(title="test")))
    return path


FULL = Page("9", modules=[module(n, n, 1, 0, ROWS) for n in range(4)])  # a page with no fault, to follow one with faults


@pytest.fixture(scope="module")
def fonts():
    return FontStack()


def test_a_full_page_reads_fill_one_and_no_hole(tmp_path):
    page = Page("1", modules=[module(n, n, 1, 0, ROWS) for n in range(4)])
    stacked = Page("2", modules=[module(0, 0, 4, 0, 20), module(1, 0, 2, 21, ROWS - 21), module(2, 2, 2, 21, ROWS - 21)])
    report = check_layout(pdf_of(tmp_path, page, stacked))
    full, rows = report.pages
    assert full.recorded and full.fill == 1.0 and full.hole == (0, 0) and full.tallest_hole == 0
    assert rows.fill == 1.0 and rows.hole == (1, 4) and rows.tallest_hole == 1  # the row between the modules
    assert report.faults == []
    assert full.line() == "p1 第1版: fill 1.00 (ink 0.00), hole none, 0 碰题, 0 jumps, no photos"


def test_a_known_empty_rectangle_reads_its_size(tmp_path):
    page = Page("3", modules=[module(0, 0, 2, 0, ROWS), module(1, 2, 2, 0, 30)])  # columns 3–4 empty from row 31 down
    report = check_layout(pdf_of(tmp_path, page, FULL))
    measured = report.pages[0]
    assert measured.hole == (ROWS - 30, 2) and measured.tallest_hole == ROWS - 30
    # 4 columns × 27 cells of two rows; columns 3–4 keep 15 of their 27 (rows 0–29)
    assert measured.fill == round((2 * 27 + 2 * 15) / (4 * 27), 4) and measured.cells == (4, 27)
    assert [f.rule for f in report.faults] == ["layout-fill", "layout-hole"]
    assert str(report.faults[1]) == "layout-hole: p1 第3版: an empty rectangle 23 rows tall (largest 23 rows × 2 columns)"


def test_largest_empty_rectangle_by_the_histogram_method():
    o, x = False, True
    cells = [[x, o, o, x], [o, o, o, x], [o, o, x, x], [o, o, x, o]]
    assert largest_empty(cells) == ((4, 1), 4) or largest_empty(cells) == ((3, 2), 4)
    assert largest_empty([[o, o, o], [o, o, o]]) == ((2, 3), 2)
    assert largest_empty([[x, x], [x, x]]) == ((0, 0), 0)


def test_l_and_u_shaped_articles(tmp_path):
    l_page = Page(
        "1", modules=[module(0, 0, 2, 0, 30), module(0, 0, 1, 31, ROWS - 31, continued=True), module(1, 1, 3, 31, ROWS - 31)]
    )
    l_page.modules.append(module(2, 2, 2, 0, 30))
    u_page = Page(
        "2",
        modules=[
            module(0, 0, 1, 0, ROWS),
            module(0, 1, 1, 40, ROWS - 40, continued=True),
            module(0, 2, 1, 0, ROWS, continued=True),
            module(1, 1, 1, 0, 39),
            module(2, 3, 1, 0, ROWS),
        ],
    )
    report = check_layout(pdf_of(tmp_path, l_page, u_page))
    assert report.pages[0].shape_counts() == {"rect": 2, "L": 1, "bad": 0}  # article 1 is an L, the others rectangles
    assert not [f for f in report.pages[0].faults if f.rule == "layout-shape"]  # one L a page is allowed
    assert report.pages[1].shape_counts() == {"rect": 2, "L": 0, "bad": 1}
    [shape] = [f for f in report.pages[1].faults if f.rule == "layout-shape"]
    assert shape.detail.startswith("article 1: not rectangular")


def test_side_by_side_headlines_are_one_pengti_and_staggered_none(tmp_path, fonts):
    a, a_lines = headed(0, 0, 2, 0, ROWS, "晨雾里的渡口", 26, fonts)
    b, b_lines = headed(1, 2, 2, 0, ROWS, "老街换新颜", 22, fonts, weight=1)
    side = Page("1", lines=a_lines + b_lines, modules=[a, b])
    c, c_lines = headed(0, 0, 2, 0, ROWS, "晨雾里的渡口", 26, fonts)
    d, d_lines = headed(1, 2, 2, 20, ROWS - 20, "老街换新颜", 22, fonts, weight=1)
    staggered = Page("2", lines=c_lines + d_lines, modules=[c, d, module(2, 2, 2, 0, 19)])
    report = check_layout(pdf_of(tmp_path, side, staggered))
    assert [p["articles"] for p in report.pages[0].collisions] == [[0, 1]]
    assert report.pages[1].collisions == []
    [fault] = [f for f in report.faults if f.rule == "layout-collision"]
    assert (
        str(fault) == "layout-collision: p1 第1版: 碰题: the headlines of 《晨雾里的渡口》 and 《老街换新颜》 stand side by side"
    )


def test_pengti_found_from_the_ink_when_the_record_has_no_headline_boxes(tmp_path, fonts):
    a, a_lines = headed(0, 0, 2, 0, ROWS, "晨雾", 26, fonts)  # short: its ink far from the other's
    b, b_lines = headed(1, 2, 2, 0, ROWS, "老街换新颜", 22, fonts)
    a.head_box = b.head_box = None
    report = check_layout(pdf_of(tmp_path, Page("1", lines=a_lines + b_lines, modules=[a, b]), FULL))
    assert report.pages[0].collisions == [{"articles": [0, 1], "names": ["《晨雾》", "《老街换新颜》"]}]
    assert report.pages[1].collisions == []


def test_pengti_in_a_pdf_not_made_by_publish_is_measured_not_faulted(tmp_path):
    pdfmetrics.registerFont(TTFont("foreign-black", str(FONT_DIR / "PublishSerifSC-Regular.ttf")))
    path = tmp_path / "foreign.pdf"
    canvas = Canvas(str(path), pagesize=(400, 600), initialFontName="foreign-black")
    canvas.setFont("foreign-black", 22)
    canvas.drawString(40, 540, "渡口晨雾")
    canvas.drawString(210, 540, "老街新颜")
    canvas.setFont("foreign-black", 9)
    for row in range(30):
        canvas.drawString(40, 500 - row * 13.5, "冬日的渡口边，摆渡人早早升起炉火。")
        canvas.drawString(210, 500 - row * 13.5, "冬日的渡口边，摆渡人早早升起炉火。")
    canvas.showPage()
    canvas.save()
    [page] = check_layout(path).pages
    assert [c["names"] for c in page.collisions] == [["《渡口晨雾》", "《老街新颜》"]] and page.faults == []
    assert page.cells[0] == 2  # its two columns found from where the body text stands


def test_the_headline_ladder(tmp_path, fonts):
    lead, lead_lines = headed(0, 0, 4, 0, 30, "全市冬季民生实事推进", 26, fonts, weight=0)
    second, second_lines = headed(1, 0, 2, 31, ROWS - 31, "社区食堂开张", 24, fonts, weight=1)
    third, third_lines = headed(2, 2, 2, 31, ROWS - 31, "公园添新景", 16, fonts, weight=2)
    low = Page("1", lines=lead_lines + second_lines + third_lines, modules=[lead, second, third])
    report = check_layout(pdf_of(tmp_path, low))
    ladder = report.pages[0].ladder
    assert ladder["steps"] == 1 and ladder["lead_size"] == "一号" and ladder["next_size"] == "小一"
    assert ladder["tau"] == 1.0
    [fault] = [f for f in report.faults if f.rule == "layout-ladder"]
    assert fault.detail == "the lead's 主题 26 pt (一号) is 1 step above the next story's 24 pt (小一); 2 wanted"
    assert ladder_step(42) == 0 and ladder_step(10.5) == 10 and ladder_step(24.5) == 3
    assert kendall_tau([3, 2, 1], [1, 2, 3]) == -1.0 and kendall_tau([1, 1], [2, 3]) is None


def test_an_avoidable_jump_and_an_unpaired_one(tmp_path):
    first = Page("1", modules=[module(0, 0, 2, 0, ROWS, complete=False, jump_to="2", avoidable=True), module(1, 2, 2, 0, ROWS)])
    first.modules.append(module(2, 2, 2, 0, 0, complete=False, jump_to="5"))  # names a page its rest is not on
    second = Page("2", modules=[module(0, 0, 4, 0, ROWS, continued=True)])
    third = Page("3", modules=[module(2, 0, 4, 0, ROWS, continued=True)])
    report = check_layout(pdf_of(tmp_path, first, second, third))
    assert report.pages[0].jumps == {"out": 2, "avoidable": 1, "unpaired": 1, "continued": 0}
    assert report.pages[1].jumps["continued"] == 1
    rules = [str(f) for f in report.faults if f.rule.startswith("layout-jump")]
    assert rules == [
        "layout-jump-avoidable: p1 第1版: article 1 jumps to 第2版 but would fit whole on this page",
        "layout-jump-unpaired: p1 第1版: article 3: named 第5版, goes on at 第3版",
    ]
    assert "2 jumps (1 avoidable)" in report.pages[0].line()


def test_a_photo_without_a_caption(tmp_path):
    from PIL import Image

    image = tmp_path / "photo.png"
    Image.new("RGB", (60, 40), (120, 140, 160)).save(image)
    x, top = GRID.column_left(0), GRID.row_top(0)
    box = (x, top - 20 * GRID.pitch, GRID.span(2), 20 * GRID.pitch)
    photo = module(0, 0, 2, 0, ROWS, photos=[box], captions=0, credits=0)
    page = Page("1", images=[PlacedImage(str(image), *box, cover=True, article=0)], modules=[photo, module(1, 2, 2, 0, ROWS)])
    report = check_layout(pdf_of(tmp_path, page))
    assert report.pages[0].photos == {"placed": 1, "captioned": 0, "credited": 0, "area": 0.185, "images": 1}
    [fault] = [f for f in report.faults if f.rule == "layout-photo-caption"]
    assert fault.detail == "1 of 1 photo without a caption"
    assert report.pages[0].line().endswith("1 photo: 0 with a caption, 0 with a credit")


def test_overlap_and_off_grid_modules(tmp_path):
    page = Page("1", modules=[module(0, 0, 2, 0, ROWS), module(1, 1, 2, 0, ROWS), module(2, 3, 1, 0, ROWS)])
    page.modules[2].x += 3
    report = check_layout(pdf_of(tmp_path, page))
    assert report.pages[0].overlaps == 1 and report.pages[0].offgrid == 2
    assert {"layout-overlap", "layout-offgrid"} <= {f.rule for f in report.faults}


def test_the_record_holds_every_module_field_and_survives_a_copy(tmp_path):
    page = Page("2/3", name="要闻", modules=[module(0, 0, 4, 0, ROWS, weight=0, title_size=26.0, jump_to=None)])
    path = pdf_of(tmp_path, page)
    assert path.read_bytes() == render_pages(Laid([page], GRID), DocInfo(title="test"))  # same bytes every run
    [record] = read_records(path)
    assert record == json.loads(json.dumps(page_record(page, GRID, 0)))
    assert set(record["modules"][0]) == set(ModuleBox.__dataclass_fields__)
    assert record["label"] == "2/3" and record["grid"]["rows"] == ROWS and len(record["grid"]["columns"]) == 4
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    copied = shutil.copy(path, elsewhere / "copy.pdf")
    rewritten = elsewhere / "rewritten.pdf"
    PdfWriter(clone_from=PdfReader(str(path))).write(str(rewritten))
    for other in (copied, rewritten):
        assert check_layout(other).to_dict()["pages"] == check_layout(path).to_dict()["pages"]


def test_a_front_page_type_area_starts_below_the_masthead(tmp_path):
    page = Page("1", modules=[module(0, 0, 4, 6, ROWS - 6)], top_rows=6)
    [record] = read_records(pdf_of(tmp_path, page))
    assert record["grid"]["rows"] == ROWS - 6 and record["type_area"][3] == round(GRID.row_top(6), 3)
    assert check_layout(tmp_path / "pages.pdf").pages[0].fill == 1.0


def test_json_shape(tmp_path):
    path = pdf_of(tmp_path, Page("1", modules=[module(0, 0, 4, 0, 30)]), FULL)
    result = runner.invoke(app, ["check", "--layout", "--json", str(path)])
    assert result.exit_code == 1  # the page is 57 % full
    [report] = json.loads(result.stdout)
    assert set(report) == {"file", "ok", "recorded", "pages", "faults"}
    page = report["pages"][0]
    assert set(page) == {
        "page", "label", "name", "recorded", "fill", "ink_fill", "cells", "hole", "tallest_hole", "ink_hole", "module_hole", "shapes",
        "ladder", "collisions", "zone_order", "photos", "jumps", "offgrid", "overlaps", "balanced", "column_bottoms", "faults",
    }  # fmt: skip
    assert page["hole"] == {"rows": ROWS - 30, "columns": 4} and page["shapes"]["rect"] == 1
    assert [f["rule"] for f in report["faults"]] == ["layout-fill", "layout-hole"]


def test_the_command_prints_a_line_a_page_then_the_faults(tmp_path):
    full = Page("1", modules=[module(n, n, 1, 0, ROWS) for n in range(4)])
    path = pdf_of(tmp_path, full, Page("2", modules=[module(0, 0, 4, 0, 46)]))
    result = runner.invoke(app, ["check", "--layout", str(path)])
    assert result.exit_code == 0, result.output  # the last page is 85 % full: enough there, and its foot may be empty
    assert result.stdout.splitlines() == [
        f"{path}: OK",
        "  p1 第1版: fill 1.00 (ink 0.00), hole none, 0 碰题, 0 jumps, no photos",
        "  p2 第2版: fill 0.85 (ink 0.00), hole 7 rows × 4 columns, 0 碰题, 0 jumps, no photos",
    ]
    low = pdf_of(tmp_path, Page("1", modules=[module(0, 0, 4, 0, 46)]), full, name="low.pdf")
    result = runner.invoke(app, ["check", "--layout", str(low)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[3:] == [
        "  layout-fill: p1 第1版: fill 0.85, below 0.90",
        "  layout-hole: p1 第1版: an empty rectangle 7 rows tall (largest 7 rows × 4 columns)",
    ]


def test_a_pdf_not_made_by_publish_gets_one_line_and_its_ink_measured(tmp_path):
    pdfmetrics.registerFont(TTFont("foreign-serif", str(FONT_DIR / "PublishSerifSC-Regular.ttf")))
    path = tmp_path / "foreign.pdf"
    canvas = Canvas(str(path), pagesize=(400, 600), initialFontName="foreign-serif")
    for row in range(20):
        canvas.drawString(40, 540 - row * 13.5, "冬日的渡口边，摆渡人早早升起炉火。")
    canvas.showPage()
    canvas.save()
    result = runner.invoke(app, ["check", "--layout", str(path)])
    assert result.exit_code == 0 and "Traceback" not in result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{path}: no layout record (not a newspaper PDF of publish): measured from the ink only"
    assert lines[1].startswith("  p1: ink fill ") and len(lines) == 2
    [page] = check_layout(path).pages
    assert not page.recorded and page.ink_fill > 0.9 and page.fill is None


def test_a_broken_file_is_one_line(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4 not really")
    result = runner.invoke(app, ["check", "--layout", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot read as PDF" in result.output
    assert runner.invoke(app, ["check", "--layout", str(path), "--source", str(EXAMPLES)]).exit_code == 2


def test_publish_pdf_then_check_layout(tmp_path):
    out = tmp_path / "out"
    made = runner.invoke(app, ["pdf", str(EXAMPLES), "-o", str(out), "--no-previews"])
    assert made.exit_code == 0, made.output
    result = runner.invoke(app, ["check", "--layout", str(out)])
    assert result.exit_code in (0, 1) and isinstance(result.exception, SystemExit | None), result.output
    assert "Traceback" not in result.output and "no layout record" not in result.stdout
    pages = [line for line in result.stdout.splitlines() if line.startswith("  p")]
    assert len(pages) == sum(len(PdfReader(str(p)).pages) for p in out.glob("*.pdf")) and "  p1 第1版: fill " in pages[0]


def test_a_damaged_record_is_taken_as_none(tmp_path, monkeypatch):
    from publish.render import pdf as render

    monkeypatch.setattr(render, "page_record", lambda page, grid, top: {"version": 1, "grid": {"columns": "x"}})
    [page] = check_layout(pdf_of(tmp_path, FULL)).pages
    assert not page.recorded and page.faults == []
