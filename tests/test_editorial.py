"""The editor's word: lead and priority from the input, publish.toml's [[articles]] and --lead;
--date and [paper] date for undated input; the warning when an issue's paper or date is unknown."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pypdfium2 as pdfium
import pytest

import publish
from publish.config import EditorialSettings, editorial_settings, read_config
from publish.editorial import ArticleRule, apply_editorial, unknown_facts
from publish.errors import ConfigError
from publish.issue import IssueFacts

MARKET = "溪口镇首家智慧农贸市场开业\n\n本报讯 昨天上午，溪口镇首家智慧农贸市场正式开业，市民扫码就能买菜。\n"
CARE = "青梧市民政局发布养老服务新政策\n\n本报讯 青梧市民政局昨日发布养老服务新政策，全市八十岁以上老人每月可领取护理补贴。\n"
NAMELESS = "articles-undated: no paper name nor date in the input: the masthead prints 新闻 and no date"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "publish", *args], capture_output=True, text=True, timeout=300)


def page_text(path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    text = "".join(pdf[0].get_textpage().get_text_range().split())
    pdf.close()
    return text


def folder_of_two(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "market.txt").write_text(MARKET, encoding="utf-8")
    (tmp_path / "in" / "care.txt").write_text(CARE, encoding="utf-8")
    return tmp_path / "in"


# ---- from the input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "lead", "priority"),
    [
        ({"lead": True, "priority": 5}, True, 5.0),
        ({"is_lead": "yes", "weight": "2.5"}, True, 2.5),
        ({"头条": "是", "权重": 3}, True, 3.0),
        ({"toutiao": 1, "importance": 7}, True, 7.0),
        ({"headline_lead": "false", "rank": 2}, False, -2.0),  # rank: lower is heavier
        ({"lead": "本报讯 这是一段导语，不是一个是否的标记。"}, False, None),  # a 导语 text, not a flag
        ({}, False, None),
    ],
)
def test_a_records_lead_and_priority_under_any_of_their_names(write, fields, lead, priority):
    path = write("a.json", json.dumps({"title": "标题", "content": "正文。", **fields}, ensure_ascii=False))
    [article] = publish.load(path)
    assert (article.lead_story, article.priority) == (lead, priority)
    assert article.to_dict()["lead_story"] is lead and article.to_dict()["priority"] == priority


def test_a_value_that_is_no_flag_or_number_is_one_warning_and_the_article_is_kept(write):
    rows = "title,content,lead,priority\n一号,正文。,maybe,high\n二号,正文。,true,3\n"
    path = write("a.csv", rows)
    result = publish.collect([path])
    assert [(a.title, a.lead_story, a.priority) for a in result.articles] == [("一号", False, None), ("二号", True, 3.0)]
    assert [str(w) for w in result.warnings] == [
        f"{path}:2: record 1: lead 'maybe' is not true or false: ignored",
        f"{path}:2: record 1: priority 'high' is not a number: ignored",
    ]
    lines = write("b.jsonl", '{"title": "一号", "content": "正文。", "weight": [1]}\n')
    result = publish.collect([lines])
    assert len(result.articles) == 1
    assert [str(w) for w in result.warnings] == [f"{lines}:1: record 1: priority [1] is not a number: ignored"]


def test_markdown_front_matter_gives_lead_and_priority(write):
    path = write("a.md", "---\nlead: true\npriority: 4\n---\n# 溪口镇首家智慧农贸市场开业\n\n正文。\n")
    [article] = publish.load(path)
    assert (article.lead_story, article.priority) == (True, 4.0)
    bad = write("b.md", "---\n头条: 也许\n---\n# 标题\n\n正文。\n")
    result = publish.collect([bad])
    assert [a.lead_story for a in result.articles] == [False]
    assert [str(w) for w in result.warnings] == [f"{bad}:1: front matter: lead '也许' is not true or false: ignored"]


def test_parse_json_shows_the_weight(tmp_path):
    (tmp_path / "a.md").write_text("---\n头条: true\n权重: 2\n---\n# 标题\n\n正文。\n", encoding="utf-8")
    out = run_cli("parse", str(tmp_path / "a.md"), "--json")
    [record] = json.loads(out.stdout)
    assert (record["lead_story"], record["priority"]) == (True, 2)


# ---- publish.toml and options -------------------------------------------------------------------


def test_articles_rules_in_publish_toml_match_titles_and_file_names(tmp_path):
    folder = folder_of_two(tmp_path)
    (folder / "publish.toml").write_text(
        '[paper]\nname = "青梧日报"\ndate = 2026-12-04\n\n[[articles]]\nmatch = "养老"\nlead = true\n\n'
        '[[articles]]\nmatch = "market.*"\npriority = 5\n',
        encoding="utf-8",
    )
    config = read_config(folder / "publish.toml")
    assert config.articles == (ArticleRule("养老", lead=True), ArticleRule("market.*", priority=5))
    assert config.date == dt.date(2026, 12, 4) and config.facts().date is None  # it dates the undated only
    articles = publish.load(folder)
    settings = editorial_settings(config)
    assert apply_editorial(articles, settings.date, settings.rules) == []
    weights = {a.title: (a.lead_story, a.priority, a.paper.date) for a in articles}
    assert weights == {
        "青梧市民政局发布养老服务新政策": (True, None, dt.date(2026, 12, 4)),
        "溪口镇首家智慧农贸市场开业": (False, 5, dt.date(2026, 12, 4)),
    }


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            '[[articles]]\nmatch = "x"\npriority = "high"\n',
            3,
            "articles.priority: must be a number (higher is heavier), not 'high'",
        ),
        ('# ours\n[[articles]]\nmatch = "x"\nlead = "yes"\n', 4, "articles.lead: must be true or false, not 'yes'"),
        (
            '[[articles]]\nmatch = "x"\nlead = true\n[[articles]]\nmatch = "y"\ncolour = 1\n',
            6,
            "articles.colour: unknown key; known: match, lead, priority",
        ),
        ('[[articles]]\nmatch = "x"\n', 2, "articles.match: says nothing: give lead = true or priority = N"),
        (
            '[[articles]]\nmatch = ""\nlead = true\n',
            2,
            "articles.match: must be the text of a title or a file name (a pattern such as p01-*.txt)",
        ),
        ("# ours\narticles = 3\n", 2, "articles: must be [[articles]] tables (match = …, lead = true, priority = N)"),
        ('[paper]\nname = "x"\ndate = "4 Dec"\n', 3, "paper.date: must be a date YYYY-MM-DD, not '4 Dec'"),
    ],
)
def test_a_bad_articles_table_or_date_in_publish_toml_is_one_line_with_its_line(tmp_path, text, line, message):
    folder = folder_of_two(tmp_path)
    (folder / "publish.toml").write_text(text, encoding="utf-8")
    out = run_cli("pdf", str(folder), "-o", str(tmp_path / "a.pdf"), "--no-previews")
    assert out.returncode == 2, out.stderr
    assert out.stderr.splitlines() == [f"publish: error: {folder / 'publish.toml'}:{line}: {message}"]


def test_lead_option_and_the_date_options_check_themselves():
    assert editorial_settings(None, date="2026-12-05", leads=["养老"]) == EditorialSettings(dt.date(2026, 12, 5), ("养老",))
    with pytest.raises(ConfigError, match=r"^--date must be a date YYYY-MM-DD, not '2026-13-05'$"):
        editorial_settings(None, date="2026-13-05")
    with pytest.raises(ConfigError, match=r"^--lead must be the text of a title or a file name, not ' '$"):
        editorial_settings(None, leads=[" "])
    with pytest.raises(ConfigError, match=r"^date: must be a date YYYY-MM-DD, not 20261205$"):
        EditorialSettings(date=20261205)


def test_lead_names_articles_by_title_or_file_and_says_when_it_names_none(tmp_path):
    folder = folder_of_two(tmp_path)
    articles = publish.load(folder)
    rules = (ArticleRule("nothing", priority=1),)
    unmatched = apply_editorial(articles, None, rules, ("market.txt", "养老服务", "没有这篇"))
    assert sorted(a.title for a in articles if a.lead_story) == ["溪口镇首家智慧农贸市场开业", "青梧市民政局发布养老服务新政策"]
    assert unmatched == [
        "[[articles]] 1: match 'nothing' names no article (no title contains it, no file name matches)",
        "--lead '没有这篇' names no article (no title contains it, no file name matches)",
    ]


# ---- the date and the warning -------------------------------------------------------------------


def test_an_unnamed_undated_input_is_warned_of_once_and_fails_only_strict(tmp_path):
    folder = folder_of_two(tmp_path)
    out = run_cli("pdf", str(folder), "-o", str(tmp_path / "out"), "--no-previews")
    assert out.returncode == 0, out.stderr
    warnings = [line for line in out.stderr.splitlines() if "warning" in line]
    assert warnings == [
        f"publish: warning: {NAMELESS} (give [paper] name in publish.toml or --paper, and --date or [paper] date)"
    ]
    assert "新闻" in page_text(tmp_path / "out" / "articles-undated.pdf")
    strict = run_cli("pdf", str(folder), "-o", str(tmp_path / "strict"), "--no-previews", "--strict")
    assert strict.returncode == 1 and NAMELESS in strict.stderr


def test_date_and_paper_options_date_and_name_the_issue_and_silence_the_warning(tmp_path):
    folder = folder_of_two(tmp_path)
    out = run_cli(
        "pdf",
        str(folder),
        "-o",
        str(tmp_path / "out"),
        "--no-previews",
        "--strict",
        "--paper",
        "青梧日报",
        "--date",
        "2026-12-05",
    )
    assert out.returncode == 0, out.stderr
    assert "warning" not in out.stderr
    text = page_text(tmp_path / "out" / "青梧日报-2026-12-05.pdf")
    assert "青梧日报" in text and "2026年12月5日星期六" in text and "新闻" not in text[:40]
    only_name = run_cli("pdf", str(folder), "-o", str(tmp_path / "o2"), "--no-previews", "--paper", "青梧日报")
    assert [line for line in only_name.stderr.splitlines() if "warning" in line] == [
        "publish: warning: 青梧日报-undated: no date in the input: the masthead prints none (give --date or [paper] date in publish.toml)"
    ]
    bad = run_cli("pdf", str(folder), "-o", str(tmp_path / "o3"), "--date", "5.12.2026")
    assert bad.returncode == 2 and bad.stderr.strip() == "publish: error: --date must be a date YYYY-MM-DD, not '5.12.2026'"


def test_paper_date_in_publish_toml_dates_the_undated_and_the_date_option_wins(tmp_path):
    folder = folder_of_two(tmp_path)
    (folder / "publish.toml").write_text('[paper]\nname = "青梧日报"\ndate = "2026-12-04"\n', encoding="utf-8")
    out = run_cli("pdf", str(folder), "-o", str(tmp_path / "out"), "--no-previews", "--strict")
    assert out.returncode == 0 and "warning" not in out.stderr, out.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["青梧日报-2026-12-04.pdf"]
    out = run_cli("pdf", str(folder), "-o", str(tmp_path / "out2"), "--no-previews", "--date", "2026-12-06")
    assert [p.name for p in (tmp_path / "out2").iterdir()] == ["青梧日报-2026-12-06.pdf"]


def test_a_dated_named_input_gets_no_warning_and_keeps_its_date(write):
    record = {"title": "标题", "content": "正文。", "paper": "青梧晚报", "date": "2026-11-21"}
    articles = publish.load(write("a.json", json.dumps(record, ensure_ascii=False)))
    assert unknown_facts(articles) == []
    apply_editorial(articles, dt.date(2026, 12, 5))
    assert articles[0].paper.date == dt.date(2026, 11, 21)  # --date dates only the undated
    assert unknown_facts(publish.load(write("b.txt", MARKET)), IssueFacts(name="青梧日报", date=dt.date(2026, 12, 5))) == []


def test_build_and_audio_take_the_date_and_build_the_lead(tmp_path):
    folder = folder_of_two(tmp_path)
    out = run_cli(
        "build", str(folder), "--no-audio", "-o", str(tmp_path / "site"), "-j", "1", "--date", "2026-12-05", "--lead", "养老"
    )
    assert out.returncode == 0, out.stderr
    assert [line for line in out.stderr.splitlines() if "warning" in line] == [
        "publish: warning: articles-2026-12-05: no paper name in the input: the masthead prints 新闻 (give [paper] name in publish.toml)"
    ]
    assert (tmp_path / "site" / "articles-2026-12-05").is_dir()
    script = run_cli("audio", str(folder), "--script", "-o", str(tmp_path / "audio"), "--date", "2026-12-05")
    assert script.returncode == 0 and "warning" not in script.stderr, script.stderr  # no masthead to warn of
    assert (tmp_path / "audio" / "articles-2026-12-05").is_dir()


def test_galley_has_no_masthead_to_warn_of(tmp_path):
    folder = folder_of_two(tmp_path)
    out = run_cli("pdf", str(folder), "-o", str(tmp_path / "a.pdf"), "--no-previews", "-t", "galley", "--strict")
    assert out.returncode == 0 and "warning" not in out.stderr, out.stderr
