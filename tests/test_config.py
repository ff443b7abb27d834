"""Settings check themselves in the library: the Python API, publish.toml and the options give the
same one-line errors, each saying where the value came from."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import publish
from publish.cli import app
from publish.config import (
    AudioSettings,
    BuildSettings,
    Config,
    PdfSettings,
    Workers,
    audio_settings,
    build_run,
    load_config,
    pdf_settings,
    read_config,
)
from publish.errors import ConfigError, TemplateError, UsageError
from publish.issue import IssueFacts

from .conftest import EXAMPLES

runner = CliRunner()


def toml(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "publish.toml"
    path.write_text(text, encoding="utf-8")
    return path


def article_in(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text("标题\n\n正文一段。\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("table", "python", "message"),
    [
        ("edge_requests = 0", lambda: BuildSettings(edge_requests=0), "build.edge_requests: must be at least 1, not 0"),
        (
            'engine = "azure"',
            lambda: BuildSettings(engine="azure"),
            "build.engine: must be one of auto, edge, offline, not 'azure'",
        ),
        ("preview_dpi = 5", lambda: BuildSettings(preview_dpi=5), "build.preview_dpi: must be from 10 to 600, not 5"),
        ("previews = 1", lambda: BuildSettings(previews=1), "build.previews: must be bool, not 1"),
        ('jobs = "many"', lambda: Workers(jobs="many"), "build.jobs: must be int, not 'many'"),
        (
            'scheduler = "bogus"',
            lambda: Workers(scheduler="bogus"),
            "build.scheduler: bogus: give an address like tcp://host:8786, or local",
        ),
    ],
)
def test_a_bad_setting_from_python_is_the_same_error_as_from_publish_toml(tmp_path, table, python, message):
    config = toml(article_in(tmp_path / "in"), f"[build]\n{table}\n")
    with pytest.raises(ConfigError) as from_python:
        python()
    assert str(from_python.value) == message
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "-o", str(tmp_path / "site")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.strip() == f"publish: error: {config}:2: {message}"  # the same words, and where


def test_the_batch_api_checks_how_it_runs_as_the_command_does(tmp_path):
    articles = publish.load(EXAMPLES / "plain")
    with pytest.raises(ConfigError, match=r"^build\.jobs: must be from 1 to 256, not 0$"):
        publish.build(articles, tmp_path / "site", BuildSettings(audio=False), jobs=0)
    with pytest.raises(ConfigError, match=r"^build\.scheduler: nowhere: give an address"):
        publish.build(articles, tmp_path / "site", BuildSettings(audio=False), scheduler="nowhere")
    assert not (tmp_path / "site").exists()  # checked before anything is made


def test_paper_facts_check_themselves_wherever_they_come_from(tmp_path):
    with pytest.raises(ConfigError) as from_python:
        IssueFacts(pages="eight")
    assert str(from_python.value) == "paper.pages: must be int, not 'eight'"
    config = toml(tmp_path, '[paper]\nname = "青梧日报"\npages = "eight"\n')
    with pytest.raises(ConfigError) as from_file:
        read_config(config).facts()
    assert str(from_file.value) == f"{config}:3: paper.pages: must be int, not 'eight'"
    with pytest.raises(ConfigError, match=r"^paper\.issue_number: must be int"):
        publish.newspaper_pdfs(publish.load(EXAMPLES / "plain"), facts=IssueFacts(issue_number="12"), jobs=1)


def test_an_option_is_named_as_the_command_line_spells_it(tmp_path):
    with pytest.raises(ConfigError) as given:
        audio_settings(engine="azure")
    assert str(given.value) == "--engine must be one of auto, edge, offline, not 'azure'"
    with pytest.raises(ConfigError) as python:
        AudioSettings(engine="azure")
    assert str(python.value) == "engine: must be one of auto, edge, offline, not 'azure'"
    with pytest.raises(ConfigError, match=r"^--requests must be at least 1, not 0$"):
        build_run(Config(), edge_requests=0)
    with pytest.raises(ConfigError, match=r"^--rate 'fast' is not like \+10%$"):
        audio_settings(rate="fast")
    with pytest.raises(ConfigError, match=r"^--bitrate 65: 24 kHz MP3 has 32, 40"):
        audio_settings(bitrate=65)


def test_options_win_over_the_file_and_the_file_over_the_defaults(tmp_path):
    article_in(tmp_path)
    toml(
        tmp_path,
        'template = "tabloid"\n[paper]\nname = "青梧夜报"\nlogo = "logo.svg"\n[build]\nedge_requests = 2\noutput = "site"\n',
    )
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"/>', encoding="utf-8")
    config = load_config([tmp_path])
    run = build_run(config, voice="zh-CN-XiaoxiaoNeural")
    assert run.settings.template == "tabloid" and run.settings.edge_requests == 2 and run.settings.voice == "zh-CN-XiaoxiaoNeural"
    assert run.settings.facts.name == "青梧夜报" and run.settings.facts.logo == str(tmp_path / "logo.svg")  # beside the file
    assert run.output == tmp_path / "site" and run.workers.jobs is None and run.workers.count >= 1
    assert build_run(config, template="a4", edge_requests=3, output=tmp_path / "x").settings.edge_requests == 3
    settings = pdf_settings(config, paper={"name": "另一报", "cn": None})
    assert settings.facts.name == "另一报" and settings.layout.grid.columns == 6  # the file's template: tabloid
    assert pdf_settings(config, template="galley").galley


def test_the_shape_of_publish_toml_is_checked_with_lines(tmp_path):
    cases = [
        ('colour = "red"\n', "unknown key 'colour'; known: paper, template, build", 1),
        ("template = 3\n", "template: must be a template name or a .toml path", 1),
        ("[paper]\nname = 'x'\nnmae = 'y'\n", "paper.nmae: unknown key; known: cn, date, issue_number, logo, name, pages", 3),
        ("paper = 3\n", "[paper] must be a table", 1),
        ("[build]\njbos = 2\n", "build.jbos: unknown key; known: pdf, audio, jobs", 2),
        ("build = 3\n", "[build] must be a table", 1),
        ('[build]\njobs = "x"\n', "build.jobs: must be int, not 'x'", 2),
    ]
    for text, message, line in cases:
        path = toml(tmp_path, text)
        with pytest.raises(ConfigError) as caught:
            build_run(read_config(path), jobs=2)  # a value is checked even where an option overrides it
        assert str(caught.value).startswith(f"{path}:{line}: {message}"), str(caught.value)


def test_publish_pdf_reads_only_what_it_uses_of_publish_toml(tmp_path):
    article_in(tmp_path / "in")
    toml(tmp_path / "in", '[paper]\nname = "青梧日报"\n[build]\nnot_yet_known = 1\n')  # a newer publish build's key
    result = runner.invoke(app, ["pdf", str(tmp_path / "in"), "-o", str(tmp_path / "a.pdf"), "--no-previews"])
    assert result.exit_code == 0, result.output
    config = toml(tmp_path / "in", 'template = "galley"\n')
    result = runner.invoke(app, ["pdf", str(tmp_path / "in"), "-o", str(tmp_path / "a.pdf"), "--no-previews"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"publish: error: {config}:1: template: galley is not a page template (it is an option: publish pdf -t galley)"
    )


def test_pdf_settings_check_the_template_logo_and_numbers(tmp_path):
    with pytest.raises(TemplateError, match="no template named 'nope'"):
        PdfSettings(template="nope")
    with pytest.raises(ConfigError, match=f"^{tmp_path / 'none.svg'}: logo not found$"):
        PdfSettings(facts=IssueFacts(logo=str(tmp_path / "none.svg")))
    with pytest.raises(ConfigError, match=r"^jobs: must be at least 1, not 0$"):
        publish.articles_pdf(publish.load(EXAMPLES / "plain"), jobs=0)
    with pytest.raises(ConfigError, match=r"^preview_dpi: must be from 10 to 600, not 1000$"):
        PdfSettings(preview_dpi=1000)
    assert isinstance(ConfigError("x"), UsageError) and ConfigError("x").exit_code == 2


def test_lexicons_named_as_options_are_checked_before_any_work(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[words]\n"行长" = "hang2"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        AudioSettings(lexicons=(bad,))
    assert str(caught.value).startswith(f"{bad}:2: '行长': the reading must be one TONE3 syllable per character")
    with pytest.raises(ConfigError, match="cannot read the lexicon"):
        BuildSettings(lexicons=(str(tmp_path / "missing.toml"),))


@pytest.mark.parametrize(
    ("text", "line", "message", "commands"),
    [
        (b'# ours\n[paper]\nname = "x\n', 3, "not valid TOML: Illegal character", ("pdf", "build")),
        (b'# ours\n[paper]\nname = "\xff"\n', 3, "not UTF-8 text (byte 23); TOML files are UTF-8", ("pdf", "build")),
        (b'[paper]\nname = "x"\n[paper.extra]\na = 1\n', 3, "paper.extra: unknown key; known: cn", ("pdf", "build")),
        (b"# ours\npaper.name = 3\n", 2, "paper.name: must be str, not 3", ("pdf", "build")),
        (b"# ours\npaper = {name = 3}\n", 2, "paper.name: must be str, not 3", ("pdf", "build")),
        (b"[paper]\nname = 'x'\npages = -2\n", 3, "paper.pages: must be at least 1, not -2", ("pdf", "build")),
        (b"[paper]\nissue_number = 0\n", 2, "paper.issue_number: must be at least 1, not 0", ("pdf", "build")),
        (b'# ours\ntemplate = "nope"\n', 2, "template: no template named 'nope'", ("pdf", "build")),
        (b'# ours\ntemplate = "mine.toml"\n', 2, "template: template file not found", ("pdf", "build")),
        (b'[paper]\nname = "x"\nlogo = "none.svg"\n', 3, "", ("pdf", "build")),
        (b"[build.extra]\njobs = 2\n", 1, "build.extra: unknown key; known: pdf", ("build",)),
        (b"[[build]]\njobs = 2\n", 1, "[build] must be a table", ("build",)),
        (b"# ours\n[papre]\nname = 'x'\n", 2, "unknown key 'papre'; known: paper, template, build", ("pdf", "build")),
    ],
)
def test_every_publish_toml_error_names_its_line(tmp_path, text, line, message, commands):
    folder = article_in(tmp_path / "in")
    config = folder / "publish.toml"
    config.write_bytes(text)
    for command in commands:
        extra = (
            ["--no-previews", "-o", str(tmp_path / "a.pdf")] if command == "pdf" else ["--no-audio", "-o", str(tmp_path / "site")]
        )
        result = runner.invoke(app, [command, str(folder), *extra])
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.startswith(f"publish: error: {config}:{line}: {message}"), (command, result.stderr)
        assert len(result.stderr.splitlines()) == 1


def test_an_option_over_a_bad_file_value_is_said_as_the_option(tmp_path):
    folder = article_in(tmp_path / "in")
    toml(folder, 'template = "tabloid"\n')
    result = runner.invoke(app, ["pdf", str(folder), "-t", "nope", "--no-previews", "-o", str(tmp_path / "a.pdf")])
    assert result.stderr.startswith("publish: error: no template named 'nope'; bundled:")
    result = runner.invoke(app, ["pdf", str(folder), "--logo", str(tmp_path / "none.svg"), "-o", str(tmp_path / "a.pdf")])
    assert result.stderr == f"publish: error: {tmp_path / 'none.svg'}: logo not found\n"
