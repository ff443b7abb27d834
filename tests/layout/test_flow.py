"""The plain flow: articles down 13-character columns, every line on the baseline grid."""

from __future__ import annotations

import publish
from publish.article import BlockKind
from publish.layout.blocks import block_text
from publish.layout.flow import PageSpec, flow_articles
from publish.typeset import FontStack
from tests.conftest import EXAMPLES

SPEC = PageSpec()
NOTICE = """# 青梧冬季招聘会本周六举行

本报记者 林晓雯

为帮助求职者在年底前找到合适岗位，青梧市人社局将于本周六举办冬季招聘会，共有两百多家企业参加。

- 时间：11月22日上午九点至下午四点，午间不休息，请求职者合理安排时间
- 地点：青梧国际会展中心二号馆

招聘会现场还设有政策咨询区。
"""


def flow_of(tmp_path, text: str, name: str = "notice.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    articles = publish.load(path)
    return articles, flow_articles(articles, FontStack(), SPEC)


def test_columns_hold_thirteen_characters_at_nine_points():
    assert SPEC.size == 9.0 and SPEC.measure == 13 * 9.0
    assert SPEC.column_left(1) - SPEC.column_left(0) == 14 * 9.0  # a one-character gutter


def test_every_line_is_on_the_grid_inside_its_column(tmp_path):
    _, flow = flow_of(tmp_path, NOTICE)
    for placed in flow.placed:
        assert placed.row >= 0 and placed.row + placed.rows <= SPEC.rows
        line = placed.line
        assert line.glyphs[0].x >= -0.01 and line.right <= SPEC.measure + 0.01
    rows = [p.row for p in flow.placed]
    assert rows == sorted(rows) and len(set(rows)) == len(rows)  # one column, lines never share a row


def test_bullets_sit_at_the_margin_with_their_text_hanging(tmp_path):
    articles, flow = flow_of(tmp_path, NOTICE)
    items = [b for b in articles[0].blocks if b.kind is BlockKind.LIST_ITEM]
    assert [block_text(b)[0] for b in items] == ["●", "●"]  # Markdown's "-" prints as the bullet
    lines = [p.line for p in flow.placed]
    starts = [k for k, line in enumerate(lines) if line.glyphs[0].text == "●"]
    assert len(starts) == 2
    assert all(lines[k].glyphs[0].x == 0 for k in starts)
    following = lines[starts[0] + 1]
    assert following.glyphs[0].text != "●" and abs(following.glyphs[0].x - 9.0) < 0.01  # hangs one em
    paragraph = next(line for line in lines if line.text.startswith("为帮助"))
    assert paragraph.glyphs[0].x == 18.0  # ordinary paragraphs keep the 2-em indent


def test_headline_is_larger_and_articles_are_separated(tmp_path):
    second = NOTICE.replace("青梧冬季招聘会本周六举行", "南岭街道开放暖心驿站")
    (tmp_path / "b.md").write_text(second, encoding="utf-8")
    _articles, flow = flow_of(tmp_path, NOTICE)
    both = publish.load([tmp_path / "notice.md", tmp_path / "b.md"])
    flow = flow_articles(both, FontStack(), SPEC)
    heads = [p for p in flow.placed if p.line.glyphs[0].size == 18.0]
    assert [h.line.text for h in heads] == ["青梧冬季招聘会本周六举行", "南岭街道开放暖心驿站"] or len(heads) >= 2
    second_head = next(p for p in flow.placed if p.article == 1)
    last_of_first = max(p.row + p.rows for p in flow.placed if p.article == 0)
    assert second_head.row > last_of_first  # a blank row between articles


def test_composing_on_several_cores_gives_the_same_lines_reports_and_progress(tmp_path, monkeypatch):
    import publish.layout.blocks as blocks_module

    monkeypatch.setattr(blocks_module, "PARALLEL_MIN_CHARS", 0)
    rare = "\U00013000"  # no bundled font has it: reported for the article it is in
    (tmp_path / "a.md").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "b.md").write_text(NOTICE.replace("招聘会现场", f"招聘会{rare}现场"), encoding="utf-8")
    (tmp_path / "c.md").write_text(NOTICE.replace("青梧", "白鹭"), encoding="utf-8")
    articles = publish.load(sorted(tmp_path.glob("*.md"))) + publish.load(EXAMPLES)
    runs = {}
    for jobs in (1, 2, 3):
        fonts, seen = FontStack(), []
        flow = flow_articles(articles, fonts, SPEC, on_article=lambda a, seen=seen: seen.append(a.title), jobs=jobs)
        runs[jobs] = ([(p.line, p.page, p.column, p.row) for p in flow.placed], [str(m) for m in fonts.missing], seen)
    assert runs[2] == runs[1] and runs[3] == runs[1]
    _, missing, seen = runs[1]
    assert seen == [a.title for a in articles]
    assert len(missing) == 1 and "b.md" in missing[0] and "U+13000" in missing[0]


def test_lines_survive_pickling(tmp_path):
    import pickle

    _, flow = flow_of(tmp_path, NOTICE)
    lines = [p.line for p in flow.placed]
    assert pickle.loads(pickle.dumps(lines)) == lines
