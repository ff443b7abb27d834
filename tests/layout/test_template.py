"""Templates users copy and edit: the bundled ones load; a mistake names its key and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.errors import TemplateError
from publish.layout.template import load_template, template_names


def test_the_bundled_templates_have_the_documented_grids():
    assert template_names() == ["a3", "a4", "broadsheet", "tabloid"]
    broadsheet, tabloid = load_template("broadsheet").grid, load_template("tabloid").grid
    assert (broadsheet.columns, broadsheet.column_chars, broadsheet.size) == (8, 13, 9.0)
    assert (tabloid.columns, tabloid.column_chars) == (6, 12)
    assert load_template("a4").grid.columns == 3


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("columns = 8", "colums = 8", "grid.colums: unknown key"),
        ("columns = 8", 'columns = "eight"', "grid.columns: must be int, not str 'eight'"),
        ("title = 22 ", "", "sizes.title: missing"),
        (
            'masthead = { rgb = "#c8161d", cmyk = [0, 100, 100, 0] }',
            'masthead = { rgb = "red", cmyk = [0, 100, 100, 0] }',
            "colours.masthead: must be #rrggbb",
        ),
        (
            'masthead = { rgb = "#c8161d", cmyk = [0, 100, 100, 0] }',
            'masthead = { rgb = "#c8161d", cmyk = [0, 100, 100] }',
            "colours.masthead: cmyk must be four inks",
        ),
        (
            'masthead = { rgb = "#c8161d", cmyk = [0, 100, 100, 0] }',
            'masthead = { rgb = "#c8161d", cmyk = [0, 100, 100, 120] }',
            "colours.masthead: cmyk must be four inks",
        ),
        ('masthead = { rgb = "#c8161d", cmyk', 'masthead = { rbg = "#c8161d", cmyk', 'colours.masthead: must be "#rrggbb" or'),
        (
            "box_under_chars = 300   # articles shorter than this are boxed",
            "front = [[8], [5, 2]]",
            "layout.front: must be a list of column patterns each adding up to 8",
        ),
        ("columns = 8", "columns = 30", "grid.columns: 30 columns of 13 characters are wider than the page"),
        ('body = ["serif"]', 'body = ["comic-sans"]', "fonts.body: must list font keys"),
    ],
)
def test_a_malformed_template_is_reported_with_its_key_and_line(tmp_path, old, new, message):
    text = Path(load_template("broadsheet").source).read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new, 1) if new else "\n".join(line for line in text.splitlines() if not line.startswith(old))
    path = tmp_path / "mine.toml"
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    assert message in str(caught.value) and str(caught.value).startswith(f"{path}")
    if new and "missing" not in message:
        key = new.split("=")[0].strip()
        line = next(n for n, text in enumerate(changed.splitlines(), 1) if text.startswith(key + " "))
        assert str(caught.value).startswith(f"{path}:{line}: ")


def test_unknown_template_names_the_bundled_ones():
    with pytest.raises(TemplateError, match="no template named 'newsletter'; bundled: a3, a4, broadsheet, tabloid"):
        load_template("newsletter")


def test_a_template_may_allow_only_some_divisions(tmp_path):
    """`[layout] front`/`inner` keep the page search to those divisions (stack widths across the
    page's top, the lead's first); without them it tries every one."""
    import publish
    from publish.pipeline import newspaper_pdfs
    from tests.conftest import EXAMPLES

    text = Path(load_template("broadsheet").source).read_text(encoding="utf-8")
    path = tmp_path / "mine.toml"
    path.write_text(
        text.replace("box_under_chars = 300", "front = [[5, 3]]\ninner = [[4, 4]]\nbox_under_chars = 300"), encoding="utf-8"
    )
    mine = load_template(path)
    assert mine.front == ((5, 3),) and mine.inner == ((4, 4),) and load_template("broadsheet").front == ()
    [issue] = newspaper_pdfs(publish.load(EXAMPLES / "qingwu-daily"), mine, jobs=1, pages="keep")
    grid = mine.grid
    for n, page in enumerate(issue.pages):
        tops = sorted({round(m.x) for m in page.modules if abs(m.top - max(b.top for b in page.modules)) < 1})
        widths = [
            (m.columns, round(m.x))
            for m in page.modules
            if round(m.x) in tops and abs(m.top - max(b.top for b in page.modules)) < 1
        ]
        assert sorted(w for w, _ in widths) in ([3, 5], [5], [4, 4], [4], [3], [8]) or len(page.modules) == 1, (n, widths)
        assert all(m.x >= grid.left - 1 for m in page.modules)
