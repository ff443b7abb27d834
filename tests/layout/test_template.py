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
        ('masthead = "#c8161d"', 'masthead = "red"', "colours.masthead: must be #rrggbb"),
        (
            "front = [[8], [5, 3], [3, 5]]",
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
