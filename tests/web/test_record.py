"""The web task's article records (web/articles.json) and web photos, as the site and search read them."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from pathlib import Path

import pytest
from PIL import Image

import publish
from publish.article import Article, Block, BlockKind, Byline, Headline, Paper, Photo, Source
from publish.batch.plan import Task
from publish.batch.tasks import make_web
from publish.config import BuildSettings
from publish.issue import IssueFacts, group_issues
from publish.layout.blocks import block_text
from publish.speech.sound.edition import article_folder
from publish.web.record import PHOTO_BYTES, PHOTO_WIDTH, RECORD, view_parts, web_photo, write_issue_record
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def issues():
    result = publish.collect([EXAMPLES])
    assert result.errors == []
    return group_issues(result.articles)


@pytest.fixture(scope="module")
def built(issues, tmp_path_factory):
    """Each example issue's record written once: (issue, folder, files returned)."""
    out = tmp_path_factory.mktemp("web")
    return [(issue, out / issue.key, write_issue_record(issue.articles, out / issue.key, issue.key)) for issue in issues]


def record(folder: Path) -> dict:
    return json.loads((folder / RECORD).read_text(encoding="utf-8"))


def test_the_record_of_each_example_issue(built):
    for issue, folder, files in built:
        data = record(folder)
        assert data["version"] == 1 and data["issue"] == issue.key
        assert (data["paper"], data["date"]) == (
            issue.facts.name or None,
            issue.facts.date.isoformat() if issue.facts.date else None,
        )
        assert [a["number"] for a in data["articles"]] == list(range(1, len(issue.articles) + 1))
        for entry, article in zip(data["articles"], issue.articles, strict=True):
            assert entry["part"] == article_folder(entry["number"], article)
            assert (entry["id"], entry["page"], entry["page_name"]) == (article.id, article.paper.page, article.paper.page_name)
            head = article.headline
            assert (entry["kicker"], entry["title"], entry["subtitle"], entry["column"]) == (
                head.kicker,
                head.title,
                head.subtitle,
                head.column,
            )
            assert entry["bylines"] == [b.text for b in article.bylines if b.position == "head"]
        assert files[0] == RECORD and all((folder / f).is_file() for f in files)


def test_blocks_are_the_printed_text_with_headings(built):
    daily = next(folder for issue, folder, _ in built if issue.key == "青梧日报-2026-11-20")
    lead = record(daily)["articles"][0]
    assert [b["kind"] for b in lead["blocks"]].count("heading") == 3  # the lead story's three 小标题
    issue = next(issue for issue, _, _ in built if issue.key == "青梧日报-2026-11-20")
    for entry, article in zip(record(daily)["articles"], issue.articles, strict=True):
        assert [(b["kind"], b["text"]) for b in entry["blocks"]] == [(str(b.kind), block_text(b)) for b in article.blocks]


def test_text_holds_every_printed_part_for_search(built):
    for issue, folder, _ in built:
        for entry, article in zip(record(folder)["articles"], issue.articles, strict=True):
            printed = [article.headline.kicker, article.headline.printed_title, article.headline.subtitle]
            printed += [b.text for b in article.bylines if b.position == "head"] + [block_text(b) for b in article.blocks]
            assert entry["text"] == "\n".join(p for p in printed if p)


def test_photos_are_webp_at_most_800_wide_and_120_kb(built):
    shown = {}
    for _, folder, files in built:
        for entry in record(folder)["articles"]:
            for photo in entry["photos"]:
                path = folder / "web" / photo["src"]
                assert f"web/{photo['src']}" in files
                with Image.open(path) as image:
                    assert image.format == "WEBP" and image.size == (photo["width"], photo["height"])
                    assert "exif" not in image.info and "icc_profile" not in image.info  # no camera data leaves
                    shown[entry["title"]] = image.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
                assert photo["width"] <= PHOTO_WIDTH and path.stat().st_size <= PHOTO_BYTES
                block = entry["blocks"][photo["block"]]
                assert block["kind"] == "caption" and block["text"].startswith(photo["caption"])
    assert len(shown) == 5  # every example photo: the baseline, CMYK and sideways JPEGs, the WebP, the PNG chart


def test_a_photo_stored_on_its_side_stands_up(built):
    evening = next(folder for issue, folder, _ in built if issue.key == "青梧晚报-2026-11-21")
    (photo,) = next(e["photos"] for e in record(evening)["articles"] if "暖心包" in e["title"])
    assert (photo["width"], photo["height"]) == (800, 533)  # stored 1600 × 2400 with EXIF orientation 6


def test_a_cmyk_photo_keeps_its_colours(built, tmp_path):
    from publish.render.icc import cmyk_to_srgb

    daily = next(folder for issue, folder, _ in built if issue.key == "青梧日报-2026-11-20")
    source = EXAMPLES / "qingwu-daily" / "2026-11-20-p01-1.jpg"
    with Image.open(source) as image:
        assert image.mode == "CMYK"
        expected = cmyk_to_srgb(image, image.info.get("icc_profile")).resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    with Image.open(daily / "web" / "photos" / "01-1.webp") as made:
        got = made.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    assert all(abs(a - b) <= 6 for a, b in zip(got, expected, strict=True))  # not inverted, not muddied


def test_the_same_input_gives_the_same_bytes_and_touches_nothing(issues, built, tmp_path):
    for issue, folder, files in built:
        again = tmp_path / issue.key
        assert write_issue_record(issue.articles, again, issue.key) == files
        assert all((again / f).read_bytes() == (folder / f).read_bytes() for f in files)
        times = {f: os.stat(again / f).st_mtime_ns for f in files}
        write_issue_record(issue.articles, again, issue.key)
        assert {f: os.stat(again / f).st_mtime_ns for f in files} == times


def test_a_record_copied_among_articles_is_not_read_as_articles(built, tmp_path):
    _, folder, _ = built[1]
    (tmp_path / "articles.json").write_bytes((folder / RECORD).read_bytes())  # without its marked folder
    result = publish.collect([tmp_path])
    assert result.articles == [] and [s.why for s in result.skipped] == ["the article records of a web edition (publish build)"]


def test_photos_of_articles_no_longer_there_go(issues, tmp_path):
    evening = next(issue for issue in issues if issue.key == "青梧晚报-2026-11-21")
    folder = tmp_path / evening.key
    before = write_issue_record(evening.articles, folder, evening.key)
    assert sorted(p.name for p in (folder / "web" / "photos").glob("*.webp")) == ["01-1.webp", "02-1.webp", "03-1.webp"]
    after = write_issue_record(evening.articles[:1], folder, evening.key)
    assert sorted(p.name for p in (folder / "web" / "photos").glob("*.webp")) == ["01-1.webp"]
    assert set(after) < set(before) and len(record(folder)["articles"]) == 1


def article(title: str = "标题", blocks: list[Block] | None = None, photos: list[Photo] | None = None, **head) -> Article:
    return Article(
        Headline(title, **head),
        paper=Paper(name="测试报", page="A03", page_name="社会"),
        id="abc/1.html",
        bylines=[Byline("本报记者 田野", [], "head"), Byline("田野", [], "body")],
        blocks=blocks or [Block(BlockKind.PARAGRAPH, "正文一段。")],
        source=Source("in/a.md", "markdown", "utf-8"),
        photos=photos or [],
    )


def test_hostile_text_is_stored_verbatim(tmp_path):
    """Escaping is the site's job: the record holds the text as printed, markup and all."""
    hostile = "<img src=x onerror=alert(1)>"
    body = '<script>alert("x")</script> & </span>'
    made = article(hostile, [Block(BlockKind.PARAGRAPH, body)], kicker="&amp;", column="<b>")
    write_issue_record([made], tmp_path, "测试报-undated")
    raw = (tmp_path / RECORD).read_text(encoding="utf-8")
    assert hostile in raw and "\\u" not in raw  # ensure_ascii=False: the characters themselves
    (entry,) = record(tmp_path)["articles"]
    assert (entry["title"], entry["kicker"], entry["column"]) == (hostile, "&amp;", "<b>")
    assert entry["blocks"] == [{"kind": "paragraph", "text": body}]
    assert entry["text"] == f"&amp;\n{hostile}（<b>）\n本报记者 田野\n{body}"
    assert (entry["part"], entry["page"], entry["page_name"]) == ("01-abc1", "A03", "社会")


def test_jump_lines_of_the_source_are_left_out(tmp_path):
    blocks = [
        Block(BlockKind.PARAGRAPH, "第一段。"),
        Block(BlockKind.JUMP, "（下转第3版）"),
        Block(BlockKind.HEADING, "小标题"),
        Block(BlockKind.LIST_ITEM, "一项", marker="-"),
        Block(BlockKind.CAPTION, "图为现场。", credit="本报记者 田野 摄"),
    ]
    write_issue_record([article(blocks=blocks)], tmp_path, "x")
    (entry,) = record(tmp_path)["articles"]
    assert entry["blocks"] == [
        {"kind": "paragraph", "text": "第一段。"},
        {"kind": "heading", "text": "小标题"},
        {"kind": "list_item", "text": "●一项"},  # as printed: Markdown's - is the newspaper bullet
        {"kind": "caption", "text": "图为现场。 本报记者 田野 摄"},
    ]
    assert "下转" not in entry["text"]


def picture(path: Path, mode: str = "RGB", size: tuple[int, int] = (1200, 900), **save) -> Path:
    """A noisy picture (hard to compress, like a photo) in `mode`."""
    rng = random.Random(7)
    image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    image.convert(mode).save(path, **save)
    return path


def test_an_unreadable_photo_is_left_out_and_said_its_caption_kept(tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not an image at all")
    good = picture(tmp_path / "good.png", size=(300, 200))
    photos = [
        Photo("broken.jpg", "损坏的图。", "甲 摄", file=str(broken), block=1),
        Photo("gone.jpg", "找不到的图。", "", file=None),  # the reader warned already
        Photo("good.png", "好图。", "乙 摄", file=str(good)),  # its caption prints under it, in no block
        Photo("vanished.jpg", "消失的图。", "", file=str(tmp_path / "vanished.jpg")),
    ]
    blocks = [Block(BlockKind.PARAGRAPH, "正文。"), Block(BlockKind.CAPTION, "损坏的图。", credit="甲 摄")]
    said: list[str] = []
    files = write_issue_record([article(blocks=blocks, photos=photos)], tmp_path, "x", said.append)
    (entry,) = record(tmp_path)["articles"]
    assert [p["src"] for p in entry["photos"]] == ["photos/01-3.webp"] and files == [RECORD, "web/photos/01-3.webp"]
    assert entry["photos"][0] | {"src": ""} == {
        "src": "",
        "width": 300,
        "height": 200,
        "caption": "好图。",
        "credit": "乙 摄",
        "block": None,
    }
    assert [b["text"] for b in entry["blocks"]] == ["正文。", "损坏的图。 甲 摄", "找不到的图。", "消失的图。"]
    assert "好图。 乙 摄" in entry["text"].split("\n")
    assert said == [
        f"in/a.md: 《标题》: {broken}: photo is not an image Pillow can read; the web edition shows its caption without it",
        f"in/a.md: 《标题》: {tmp_path / 'vanished.jpg'}: photo not found; the web edition shows its caption without it",
    ]


def test_without_a_listener_an_unreadable_photo_is_a_python_warning(tmp_path):
    made = article(photos=[Photo("gone.png", "图。", file=str(tmp_path / "gone.png"))])
    with pytest.warns(UserWarning, match=r"gone\.png: photo not found; the web edition shows its caption without it"):
        write_issue_record([made], tmp_path, "x")


def test_the_web_task_says_which_photo_it_could_not_make(tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n and nothing")
    made = article(photos=[Photo("broken.png", "图。", file=str(broken))])
    task = Task("web", "测试报-undated", [made], "", tmp_path / "测试报-undated")
    task.folder.mkdir()
    files, detail = make_web(task, BuildSettings(facts=IssueFacts(name="青梧日报", date=dt.date(2026, 11, 20))))
    assert files == [RECORD] and (detail["articles"], detail["photos"]) == (1, 0)
    (warning,) = detail["warnings"]
    assert warning.startswith(f"in/a.md: 《标题》: {broken}: photo ") and warning.endswith("shows its caption without it")
    assert (record(task.folder)["paper"], record(task.folder)["date"]) == ("青梧日报", "2026-11-20")  # the settings' facts


@pytest.mark.parametrize(
    ("mode", "save"),
    [
        ("CMYK", {"format": "JPEG", "quality": 95}),  # untagged CMYK: read as the press's
        ("I;16", {"format": "PNG"}),  # 16-bit grey
        ("P", {"format": "PNG", "transparency": 0}),  # palette with a transparent colour
        ("RGBA", {"format": "PNG"}),
        ("LA", {"format": "PNG"}),
        ("L", {"format": "TIFF"}),
        ("1", {"format": "GIF"}),
    ],
)
def test_every_kind_of_photo_becomes_a_small_webp(tmp_path, mode, save):
    source = picture(tmp_path / f"in.{save['format'].lower()}", mode, (1500, 1000), **save)
    made = web_photo(str(source), tmp_path / "out.webp")
    with Image.open(tmp_path / "out.webp") as image:
        assert image.format == "WEBP" and image.size == (made.width, made.height) == (800, 533)
        assert image.mode == "RGB"  # transparency composed on white, as on paper
    assert (tmp_path / "out.webp").stat().st_size <= PHOTO_BYTES


def test_a_photo_too_big_for_the_budget_at_any_quality_is_made_smaller(tmp_path):
    tall = picture(tmp_path / "tall.png", "RGB", (800, 3000), format="PNG")
    made = web_photo(str(tall), tmp_path / "tall.webp")
    assert (tmp_path / "tall.webp").stat().st_size <= PHOTO_BYTES
    assert made.width < 800 and abs(made.height / made.width - 3000 / 800) < 0.02


def test_a_small_photo_is_not_enlarged_and_a_transparent_one_is_white_behind(tmp_path):
    small = tmp_path / "dot.png"
    Image.new("RGBA", (40, 30), (255, 0, 0, 0)).save(small)
    made = web_photo(str(small), tmp_path / "dot.webp")
    assert (made.width, made.height) == (40, 30)
    with Image.open(tmp_path / "dot.webp") as image:
        assert image.convert("RGB").getpixel((5, 5)) == (255, 255, 255)


def test_exif_orientation_is_applied(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 8  # stored turned a quarter: shown 300 × 200
    source = tmp_path / "turned.jpg"
    image = Image.new("RGB", (200, 300), (0, 0, 0))
    image.paste((255, 255, 255), (0, 0, 200, 150))  # the stored top half is white
    image.save(source, exif=exif)
    made = web_photo(str(source), tmp_path / "turned.webp")
    assert (made.width, made.height) == (300, 200)
    with Image.open(tmp_path / "turned.webp") as shown:
        rgb = shown.convert("RGB")
        assert rgb.getpixel((10, 100))[0] > 200 and rgb.getpixel((290, 100))[0] < 50  # orientation 8: top turns left


def test_view_parts_are_what_the_article_view_prints_in_order(tmp_path):
    blocks = [Block(BlockKind.HEADING, "小标题"), Block(BlockKind.PARAGRAPH, "正文。")]
    write_issue_record([article(blocks=blocks, kicker="引题", subtitle="副题", column="夜语")], tmp_path, "x")
    (entry,) = record(tmp_path)["articles"]
    assert view_parts(entry) == [
        ("kicker", "引题"),
        ("title", "标题"),
        ("column", "（夜语）"),
        ("subtitle", "副题"),
        ("byline", "本报记者 田野"),
        ("block", "小标题"),
        ("block", "正文。"),
    ]
