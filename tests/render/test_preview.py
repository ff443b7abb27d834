"""Page previews: one PNG per page, named so that a file listing sorts them in page order."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from publish.render.preview import write_previews


def _pdf(path, pages: int):
    canvas = Canvas(str(path), pagesize=(60, 80))
    for _ in range(pages):
        canvas.line(0, 0, 60, 80)
        canvas.showPage()
    canvas.save()
    return path


def test_preview_names_sort_in_page_order(tmp_path):
    written = write_previews(_pdf(tmp_path / "issue.pdf", 12), dpi=10)
    names = [p.name for p in written]
    assert names[:3] == ["issue-p01.png", "issue-p02.png", "issue-p03.png"] and names[-1] == "issue-p12.png"
    assert sorted(p.name for p in tmp_path.glob("*.png")) == names  # -p10 no longer sorts before -p2


def test_preview_numbers_take_the_width_of_the_page_count(tmp_path):
    assert [p.name for p in write_previews(_pdf(tmp_path / "one.pdf", 1), dpi=10)] == ["one-p01.png"]
    names = [p.name for p in write_previews(_pdf(tmp_path / "big.pdf", 101), dpi=10)]
    assert names[0] == "big-p001.png" and names[-1] == "big-p101.png" and sorted(names) == names
