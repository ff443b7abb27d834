"""`publish pdf` as users run it: the PDF it writes, what it says, and how it fails."""

from __future__ import annotations

import subprocess
import sys

import pypdfium2 as pdfium
import pytest

import publish
from publish.check.pdf import check_pdf
from publish.pipeline import printed_text
from tests.conftest import EXAMPLES

ARTICLE = "青梧夜市开到零点\n\n本报记者 林晓雯\n\n入冬以来，青梧夜市把营业时间延长到零点，摊主们说，晚上九点以后的客流比去年多了三成。\n\n市场管理方在入口处设了热饮摊，还给每个摊位配了取暖器。\n"


NAMED = ("--paper", "青梧日报", "--date", "2026-11-20")  # a masthead with no stand-ins: nothing to warn of


def run_cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "publish", *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def test_examples_make_a_pdf_that_passes_the_check(tmp_path):
    target = tmp_path / "examples.pdf"
    out = run_cli("pdf", str(EXAMPLES), "-o", str(target), "-t", "galley", "--no-previews")
    assert out.returncode == 0, out.stderr
    assert out.stderr.startswith(f"wrote {target}: 1 page, 12 articles, ")
    check = run_cli("check", str(target), "--source", str(EXAMPLES))
    assert check.returncode == 0, check.stdout
    assert f"{target}: OK" in check.stdout
    assert "text: same as the source" in check.stdout


@pytest.mark.parametrize("template", ["broadsheet", "tabloid", "a4", "a3"])
def test_every_bundled_template_makes_pages_of_the_examples_that_pass_the_check(tmp_path, template):
    out = run_cli("pdf", str(EXAMPLES), "-o", str(tmp_path), "-t", template, "--no-previews")
    assert out.returncode == 0, out.stderr
    pdfs = sorted(str(p) for p in tmp_path.glob("*.pdf"))
    assert len(pdfs) == 3
    check = run_cli("check", *pdfs, "--source", str(EXAMPLES))
    assert check.returncode == 0, check.stdout
    assert check.stdout.count(": OK") == 3 and "text of the 3 PDFs against 12 articles: same as the source" in check.stdout


LONG_WORDS = (
    "新词进入日常\n\n本报记者 林晓雯\n\n"
    "青梧市民可以通过internationalization和supercalifragilisticexpialidocious两个词了解情况，"
    "详情请登录www.qingwu-daily.example/notice/2026/winter-holiday.html查询，也可以发邮件到"
    "reader-service@qingwu-daily.example咨询，或拨打0851-86627000。\n"
)


def test_long_latin_words_and_addresses_stay_in_their_column_and_the_check_passes(tmp_path):
    (tmp_path / "a.txt").write_text(LONG_WORDS, encoding="utf-8")
    out = run_cli("pdf", str(tmp_path / "a.txt"), "-o", str(tmp_path / "a.pdf"), "-t", "tabloid", "--no-previews")
    assert out.returncode == 0, out.stderr
    check = run_cli("check", str(tmp_path / "a.pdf"), "--source", str(tmp_path / "a.txt"))
    assert check.returncode == 0 and "text: same as the source" in check.stdout, check.stdout
    report = check_pdf(tmp_path / "a.pdf", [printed_text(publish.load(tmp_path / "a.txt"))])
    assert report.ok and not report.faults
    from publish.check.pdf import read_chars

    chars, _ = read_chars(tmp_path / "a.pdf")
    drawn = [c for c in chars if c.ch == "-" and c.artifact]
    assert drawn  # a hyphenated word's hyphen is drawn, marked as not being text


def test_default_output_is_out_slash_input_name(tmp_path):
    (tmp_path / "night-market.txt").write_text(ARTICLE, encoding="utf-8")
    out = run_cli("pdf", "night-market.txt", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    made = tmp_path / "out" / "night-market.pdf"
    assert made.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["night-market-p01.png", "night-market.pdf"]  # no temp file
    report = check_pdf(made, printed_text(publish.load(tmp_path / "night-market.txt")))
    assert report.ok and report.text["equal"]


def test_same_input_gives_the_same_bytes(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    run_cli("pdf", str(tmp_path / "a.txt"), "-o", str(tmp_path / "1.pdf"))
    run_cli("pdf", str(tmp_path / "a.txt"), "-o", str(tmp_path / "2.pdf"))
    assert (tmp_path / "1.pdf").read_bytes() == (tmp_path / "2.pdf").read_bytes()
    assert check_pdf(tmp_path / "1.pdf").ok


def test_composing_on_two_cores_writes_the_same_bytes_as_on_one(tmp_path):
    import shutil

    for copy in range(5):  # five copies of the examples: past the size where composing forks
        shutil.copytree(EXAMPLES, tmp_path / "in" / f"copy{copy}")
    for template in ("galley", "broadsheet"):
        made = {}
        for jobs in ("1", "2"):
            folder = tmp_path / f"{template}-{jobs}"
            out = run_cli("pdf", str(tmp_path / "in"), "-o", str(folder), "-t", template, "--jobs", jobs, "--no-previews")
            assert out.returncode == 0, out.stderr
            made[jobs] = {p.name: p.read_bytes() for p in folder.iterdir()}
        assert made["1"] == made["2"] and made["1"]


def test_bad_inputs_are_named_and_the_good_ones_still_typeset(tmp_path):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    target = tmp_path / "set.pdf"
    out = run_cli("pdf", str(tmp_path / "good.txt"), str(tmp_path / "empty.txt"), "-o", str(target))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert f"publish: error: {tmp_path}/empty.txt: empty file" in out.stderr.splitlines()
    report = check_pdf(target, None)
    assert report.ok and report.lines >= 5


def test_a_character_no_font_has_prints_as_the_missing_mark_is_reported_once_and_fails_strict(tmp_path):
    source = tmp_path / "rare.txt"
    source.write_text(ARTICLE.replace("热饮摊", "热饮摊\U00013000").replace("取暖器", "取暖器\U00013000"), encoding="utf-8")
    out = run_cli("pdf", str(source), "-o", str(tmp_path / "rare.pdf"), "--no-previews", *NAMED)
    assert out.returncode == 0, out.stderr
    warnings = [line for line in out.stderr.splitlines() if line.startswith("publish: warning: ")]
    assert warnings == [
        f"publish: warning: {source}: 青梧夜市开到零点: no bundled font has '\U00013000' (U+13000); printed as 〓"
    ]
    text = "".join(pdfium.PdfDocument(tmp_path / "rare.pdf")[0].get_textpage().get_text_range().split())
    assert "热饮摊〓" in text and "取暖器〓" in text
    report = check_pdf(tmp_path / "rare.pdf", printed_text(publish.load(source)))  # the preflight flags it again
    assert sorted({f.kind for f in report.faults}) == ["missing character (〓)", "text differs from the source"]
    strict = run_cli("pdf", str(source), "-o", str(tmp_path / "strict.pdf"), "--no-previews", "--strict")
    assert strict.returncode == 1 and warnings[0] in strict.stderr.splitlines()
    assert (tmp_path / "strict.pdf").is_file()  # the PDF is still written, for a look
    check = run_cli("check", str(tmp_path / "strict.pdf"))
    assert check.returncode == 1 and "missing character (〓)" in check.stdout


def test_rare_characters_print_and_the_run_is_clean_even_under_strict(tmp_path):
    source = tmp_path / "rare.txt"
    source.write_text(ARTICLE.replace("林晓雯", "林㘃𰻞").replace("热饮摊", "𠮷野家热饮摊"), encoding="utf-8")
    out = run_cli("pdf", str(source), "-o", str(tmp_path / "rare.pdf"), "--no-previews", "--strict", "--strict-breaking", *NAMED)
    assert out.returncode == 0, out.stderr
    assert "warning" not in out.stderr
    assert check_pdf(tmp_path / "rare.pdf", printed_text(publish.load(source))).ok


def faulty_pdf() -> bytes:
    """A page whose body column has a line running one character past the edge the others keep."""
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from publish.typeset.fonts import FONT_DIR

    pdfmetrics.registerFont(TTFont("faulty-serif", str(FONT_DIR / "PublishSerifSC-Regular.ttf")))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(300, 400), initialFontName="faulty-serif")
    canvas.setFont("faulty-serif", 9)
    for n in range(8):
        canvas.drawString(40, 360 - 13.5 * n, "青梧夜市开到零点摊主们说客流" + ("三" if n == 3 else ""))
    canvas.drawString(40, 360 - 13.5 * 8, "到此完。")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_publish_pdf_reports_the_faults_its_check_finds_and_fails_strict(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import publish.pipeline
    from publish.cli import app
    from publish.pipeline import MadePdf

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    made = [MadePdf("x", faulty_pdf(), 1, 1, 9)]
    monkeypatch.setattr(publish.pipeline, "pdfs", lambda *args, **kwargs: made)  # a layout with a fault in it
    target = tmp_path / "x.pdf"
    for strict, code in ((False, 0), (True, 1)):
        out = CliRunner().invoke(
            app, ["pdf", str(tmp_path / "a.txt"), "-o", str(target), "--no-previews", *(["--strict"] * strict)]
        )
        assert out.exit_code == code, out.output
        faults = [line for line in out.stderr.splitlines() if line.startswith(f"publish: warning: {target}: page 1: ")]
        assert faults == [
            f"publish: warning: {target}: page 1: glyph outside its column: 青梧夜市开到零点摊主们说客流三 (三)",
            f"publish: warning: {target}: page 1: line not flush: 青梧夜市开到零点摊主们说客流三 (ends +9.00 pt from the edge)",
        ]


def test_nothing_to_typeset_and_a_folder_as_output_are_errors(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    out = run_cli("pdf", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "x.pdf"))
    assert out.returncode == 1 and out.stderr.splitlines()[-1] == "publish: error: no articles to typeset"
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "taken").write_text("not a folder", encoding="utf-8")
    out = run_cli("pdf", str(tmp_path / "a.txt"), "-o", str(tmp_path / "taken"))
    assert out.returncode == 2 and f"--output {tmp_path / 'taken'} exists and is not a folder or a .pdf file" in out.stderr
    out = run_cli("pdf", str(tmp_path / "a.txt"), "-o", str(tmp_path / "issues"), "--no-previews")
    assert out.returncode == 0, out.stderr
    assert [p.name for p in (tmp_path / "issues").iterdir()] == ["articles-undated.pdf"]


def test_publish_toml_next_to_the_input_gives_the_masthead_its_facts_and_template(tmp_path):
    import pypdfium2 as pdfium

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "publish.toml").write_text(
        'template = "tabloid"\n[paper]\nname = "青梧夜报"\ncn = "CN99-0999"\nissue_number = 4321\npages = 8\n', encoding="utf-8"
    )
    out = run_cli("pdf", str(tmp_path / "a.txt"), "-o", str(tmp_path / "a.pdf"), "--issue-number", "4322", "--no-previews")
    assert out.returncode == 0, out.stderr
    pdf = pdfium.PdfDocument(str(tmp_path / "a.pdf"))
    text = "".join(pdf[0].get_textpage().get_text_range().split())
    width = pdf[0].get_width()
    pdf.close()
    assert "青梧夜报" in text and "CN99-0999" in text and "今日8版" in text
    assert "总第4322期" in text  # the option wins over the file
    assert round(width / 72 * 25.4) == 270  # the tabloid template the file names


def test_a_bad_publish_toml_or_missing_logo_is_one_line(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "publish.toml").write_text("[paper]\nnmae = 1\n", encoding="utf-8")
    out = run_cli("pdf", str(tmp_path / "a.txt"), "-o", str(tmp_path / "a.pdf"))
    assert out.returncode == 2 and "Traceback" not in out.stderr  # a setting: a usage error, as in every command
    assert (
        out.stderr.strip().splitlines()[-1].startswith(f"publish: error: {tmp_path / 'publish.toml'}:2: paper.nmae: unknown key")
    )
    (tmp_path / "publish.toml").unlink()
    out = run_cli("pdf", str(tmp_path / "a.txt"), "-o", str(tmp_path / "a.pdf"), "--logo", str(tmp_path / "none.svg"))
    assert out.returncode == 2 and out.stderr.strip() == f"publish: error: {tmp_path / 'none.svg'}: logo not found"


def test_a_logo_that_cannot_be_drawn_is_one_line_and_a_usage_error(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "text.png").write_text("not a picture", encoding="utf-8")
    (tmp_path / "cut.png").write_bytes((EXAMPLES.parent / "docs" / "issue-page1.png").read_bytes()[:200])
    (tmp_path / "broken.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect', encoding="utf-8")
    (tmp_path / "empty.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    wanted = {
        "text.png": "logo is not an image (SVG, PNG or JPEG)",
        "cut.png": "logo is a broken image: ",
        "broken.svg": "logo is a broken SVG: unclosed token: line 1, column ",
        "empty.svg": "logo is an SVG without a size (width and height, or a viewBox)",
        "folder": "logo not found",
    }
    (tmp_path / "folder").mkdir()
    for name, reason in wanted.items():
        out = run_cli("pdf", str(tmp_path / "a.txt"), "-o", str(tmp_path / "a.pdf"), "--logo", str(tmp_path / name))
        assert out.returncode == 2, (name, out.stderr)
        assert out.stderr.count("\n") == 1 and out.stderr.startswith(f"publish: error: {tmp_path / name}: {reason}"), out.stderr
        assert not (tmp_path / "a.pdf").exists()


def test_an_unmapped_private_use_character_fails_a_strict_run(tmp_path):
    """A 造字 that neither GB 18030 nor the paper's [chars] maps is named with its line; --strict fails the run."""
    source = tmp_path / "a.txt"
    source.write_text("标题\n\n正文有一个造字\ue3a1。\n", encoding="utf-8")
    loose = run_cli("pdf", str(source), "-o", str(tmp_path / "a.pdf"), "--no-previews")
    assert loose.returncode == 0, loose.stderr
    assert f"publish: warning: {source}:3: private-use character U+E3A1" in loose.stderr
    strict = run_cli("pdf", str(source), "-o", str(tmp_path / "b.pdf"), "--no-previews", "--strict")
    assert strict.returncode == 1 and (tmp_path / "b.pdf").is_file()
    (tmp_path / "publish.toml").write_text(
        '[paper]\nname = "青梧日报"\ndate = 2026-11-20\n[chars]\n"U+E3A1" = "䶮"\n', encoding="utf-8"
    )
    mapped = run_cli("pdf", str(source), "-o", str(tmp_path / "c.pdf"), "--no-previews", "--strict")
    assert mapped.returncode == 0 and "warning" not in mapped.stderr, mapped.stderr


def test_jobs_one_checks_the_pdf_in_this_process_too(tmp_path, monkeypatch):
    # --jobs 1 means no forking: the check of the PDF written keeps to one process as well
    from typer.testing import CliRunner

    import publish.check.pdf
    from publish.cli import app

    seen = []
    checked = publish.check.pdf.check_pdf
    monkeypatch.setattr(
        publish.check.pdf, "check_pdf", lambda path, source_text=None, jobs=None: seen.append(jobs) or checked(path, jobs=jobs)
    )
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    for jobs in ("1", "2"):
        out = CliRunner().invoke(
            app, ["pdf", str(tmp_path / "a.txt"), "-o", str(tmp_path / "x.pdf"), "--no-previews", "--jobs", jobs]
        )
        assert out.exit_code == 0, out.output
    assert seen == [1, 2]
