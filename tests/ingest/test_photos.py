"""Photos on articles: what each reader gives (src, caption, credit, size, caption block), files
found only inside the image root (one warning for each refused, missing or broken one, nothing
read or fetched), and no traceback for any value a record may hold."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from typer.testing import CliRunner

import publish
from publish.article import BlockKind
from publish.cli import app

BODY = "青梧市今天开放了新的社区图书馆，市民可以免费借阅图书。馆内设有儿童阅读区和自习室。"


def image(path: Path, size=(64, 48), kind="JPEG", orientation: int | None = None, mode="RGB") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        options["exif"] = exif.tobytes()
    Image.new(mode, size, (200, 120, 40) if mode == "RGB" else None).save(path, kind, **options)
    return path


def record(tmp_path: Path, name: str = "feed.jsonl", **fields) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"title": "社区图书馆开放", "content": BODY, **fields}
    path.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def warnings_of(result) -> list[str]:
    return [str(w) for w in result.warnings]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.run([sys.executable, "-m", "publish", *args], capture_output=True, text=True, timeout=300, cwd=cwd, env=env)


# ---- readers ------------------------------------------------------------------------------------


def test_markdown_image_gives_a_photo_on_its_caption_block(tmp_path):
    image(tmp_path / "pics" / "图书馆.jpg", (300, 200))
    md = tmp_path / "a.md"
    md.write_text(
        f'# 社区图书馆开放\n\n{BODY}\n\n![读者在馆内看书。](pics/图书馆.jpg "本报记者 许晴 摄")\n\n结尾一段。\n', encoding="utf-8"
    )
    result = publish.collect([tmp_path])
    assert result.errors == [] and result.warnings == []
    [article] = result.articles
    [photo] = article.photos
    assert (photo.src, photo.caption, photo.credit) == ("pics/图书馆.jpg", "读者在馆内看书。", "本报记者 许晴 摄")
    assert (photo.file, photo.width, photo.height) == (str(tmp_path / "pics" / "图书馆.jpg"), 300, 200)
    block = article.blocks[photo.block]
    assert (block.kind, block.text, block.credit, block.image) == (
        BlockKind.CAPTION,
        "读者在馆内看书。",
        "本报记者 许晴 摄",
        "pics/图书馆.jpg",
    )
    assert photo.lines.first == 5
    assert article.blocks[-1].text == "结尾一段。"  # the caption stays where the author put it


def test_record_images_give_photos_captioned_after_the_body_in_order(tmp_path):
    image(tmp_path / "a.jpg")
    image(tmp_path / "b.png", kind="PNG")
    path = record(
        tmp_path,
        images=[
            {"src": "a.jpg", "caption": "<b>读者</b>在看书。", "credit": "本报记者 许晴 摄"},
            {"url": "b.png", "desc": "馆内一角。"},
        ],
    )
    [article] = publish.collect([path]).articles
    assert [(p.src, p.caption, p.credit, p.file) for p in article.photos] == [
        ("a.jpg", "读者在看书。", "本报记者 许晴 摄", str(tmp_path / "a.jpg")),
        ("b.png", "馆内一角。", "", str(tmp_path / "b.png")),
    ]
    blocks = article.blocks
    assert [b.kind for b in blocks[-2:]] == [BlockKind.CAPTION, BlockKind.CAPTION]
    assert [p.block for p in article.photos] == [len(blocks) - 2, len(blocks) - 1]
    assert blocks[-2].credit == "本报记者 许晴 摄" and blocks[-1].image == "b.png"
    assert blocks[0].kind is BlockKind.PARAGRAPH  # the body comes first


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"imgs": ["a.jpg", "b.jpg"], "images_desc": ["甲。", "乙。"]}, [("a.jpg", "甲。", ""), ("b.jpg", "乙。", "")]),
        ({"image_url": "a.jpg", "image_captions": "甲。"}, [("a.jpg", "甲。", "")]),
        ({"pics": [{"path": "a.jpg", "说明": "甲。", "摄影": "许晴"}]}, [("a.jpg", "甲。", "许晴")]),
        ({"photos": [{"file": "a.jpg", "alt": "甲。", "photographer": "许晴"}]}, [("a.jpg", "甲。", "许晴")]),
        ({"img_urls": "a.jpg,b.jpg"}, [("a.jpg", "", ""), ("b.jpg", "", "")]),
        ({"images": '["a.jpg", "b.jpg"]'}, [("a.jpg", "", ""), ("b.jpg", "", "")]),  # a JSON list in a CSV cell
        ({"image": "a.jpg", "images": [{"src": "a.jpg", "caption": "甲。"}]}, [("a.jpg", "甲。", "")]),  # one photo, named twice
        ({"thumbnail": "t.jpg"}, [("t.jpg", "", "")]),
        ({"thumbnail": "t.jpg", "image": "a.jpg"}, [("a.jpg", "", "")]),  # a thumbnail only when nothing else names one
        ({"images": [{"src": "a.jpg", "title": "甲。", "source": "新华社"}]}, [("a.jpg", "甲。", "新华社")]),
    ],
)
def test_crawler_names_for_images(tmp_path, fields, expected):
    for name in ("a.jpg", "b.jpg", "t.jpg"):
        image(tmp_path / name)
    [article] = publish.collect([record(tmp_path, **fields)]).articles
    assert [(p.src, p.caption, p.credit) for p in article.photos] == expected
    assert all(p.file for p in article.photos)


def test_a_csv_record_names_its_photo(tmp_path):
    image(tmp_path / "a.jpg")
    (tmp_path / "feed.csv").write_text(f"title,content,image,image_caption\n标题,{BODY},a.jpg,甲。\n", encoding="utf-8")
    [article] = publish.collect([tmp_path / "feed.csv"]).articles
    assert [(p.src, p.caption, p.width) for p in article.photos] == [("a.jpg", "甲。", 64)]


def test_stem_files_and_sidecar_captions(tmp_path):
    (tmp_path / "x.txt").write_text(f"社区图书馆开放\n\n{BODY}\n", encoding="utf-8")
    image(tmp_path / "x.jpg")
    image(tmp_path / "x-2.png", kind="PNG")
    image(tmp_path / "x_3.webp", kind="WEBP")
    image(tmp_path / "x-10.jpg")
    image(tmp_path / "y.jpg")  # another stem's
    (tmp_path / "x.json").write_text(
        json.dumps({"images": [{"caption": "甲。"}, {"src": "x-2.png", "caption": "乙。", "credit": "许晴 摄"}]}),
        encoding="utf-8",
    )
    result = publish.collect([tmp_path])
    assert result.errors == [] and result.warnings == [] and result.files == 1  # image files are not inputs
    [article] = result.articles
    assert [(p.src, p.caption, p.credit) for p in article.photos] == [
        ("x.jpg", "甲。", ""),
        ("x-2.png", "乙。", "许晴 摄"),
        ("x_3.webp", "", ""),
        ("x-10.jpg", "", ""),
    ]
    assert [p.block for p in article.photos][2:] == [None, None]
    assert [article.blocks[p.block].text for p in article.photos[:2]] == ["甲。", "乙。"]


def test_one_stem_photo_takes_the_sidecars_caption_and_credit(tmp_path):
    (tmp_path / "x.md").write_text(f"# 社区图书馆开放\n\n{BODY}\n", encoding="utf-8")
    image(tmp_path / "x.JPG")
    (tmp_path / "x.json").write_text(
        json.dumps({"caption": "读者在看书。", "credit": "本报记者 许晴 摄", "paper": "青梧日报"}), encoding="utf-8"
    )
    [article] = publish.collect([tmp_path]).articles
    [photo] = article.photos
    assert (photo.src, photo.caption, photo.credit, photo.block) == (
        "x.JPG",
        "读者在看书。",
        "本报记者 许晴 摄",
        len(article.blocks) - 1,
    )
    assert article.paper.name == "青梧日报"


def test_a_stem_photo_belongs_to_the_article_of_its_own_stem(tmp_path):
    for name in ("x", "x-2"):
        (tmp_path / f"{name}.txt").write_text(f"标题{name}\n\n{BODY}\n", encoding="utf-8")
    image(tmp_path / "x-2.jpg")
    by_title = {a.title: [p.src for p in a.photos] for a in publish.collect([tmp_path]).articles}
    assert by_title == {"标题x": [], "标题x-2": ["x-2.jpg"]}


def test_photo_item_gets_its_stem_photo_under_the_credited_caption(tmp_path):
    text = "银杏满街\n\n连日来，银杏大道两侧的银杏叶渐次转黄，吸引市民前来拍照。\n\n图为市民在银杏大道上拍照留念。\n\n本报记者 许晴 摄\n"
    (tmp_path / "p.txt").write_text(text, encoding="utf-8")
    image(tmp_path / "p.jpg", (120, 80))
    [article] = publish.collect([tmp_path]).articles
    [photo] = article.photos
    block = article.blocks[photo.block]
    assert (block.kind, block.text, block.credit) == (BlockKind.CAPTION, "图为市民在银杏大道上拍照留念。", "本报记者 许晴 摄")
    assert (photo.caption, photo.credit, photo.width, block.image) == (block.text, "本报记者 许晴 摄", 120, "p.jpg")
    assert len(article.blocks) == 2  # no caption added twice


def test_stem_photos_beside_a_file_of_several_articles_are_named_once(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps({"title": f"标题{i}", "content": BODY}, ensure_ascii=False) for i in (1, 2)) + "\n")
    image(tmp_path / "feed.jpg")
    result = publish.collect([path])
    assert all(not a.photos for a in result.articles)
    assert warnings_of(result) == [
        f"{path}: feed.jpg beside a file of 2 articles: not attached to any (name each article's photos in its record's images)"
    ]


def test_exif_orientation_swaps_width_and_height(tmp_path):
    image(tmp_path / "turned.jpg", (300, 200), orientation=6)
    image(tmp_path / "mirrored.jpg", (300, 200), orientation=2)
    image(tmp_path / "eight.webp", (300, 200), kind="WEBP", orientation=8)
    path = record(tmp_path, images=["turned.jpg", "mirrored.jpg", "eight.webp"])
    [article] = publish.collect([path]).articles
    assert [(p.width, p.height) for p in article.photos] == [(200, 300), (300, 200), (200, 300)]


def test_cmyk_jpeg_is_read(tmp_path):
    image(tmp_path / "cmyk.jpg", (90, 60), mode="CMYK")
    [article] = publish.collect([record(tmp_path, image="cmyk.jpg")]).articles
    assert [(p.width, p.height, bool(p.file)) for p in article.photos] == [(90, 60, True)]


# ---- the image root: refused paths --------------------------------------------------------------


@pytest.fixture
def opened(monkeypatch):
    """The files Pillow is asked to open."""
    seen: list[str] = []
    original = Image.open

    def spy(path, *args, **kwargs):
        seen.append(str(path))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(Image, "open", spy)
    return seen


REFUSED = [
    ("/etc/passwd", "refused: an absolute path (name photos relative to the article's folder)"),
    ("C:\\photos\\a.jpg", "refused: an absolute path (name photos relative to the article's folder)"),
    ("~/a.jpg", "refused: an absolute path (name photos relative to the article's folder)"),
    ("http://img.example/a.jpg", "refused: a URL (photos are never fetched)"),
    ("https://img.example/a.jpg", "refused: a URL (photos are never fetched)"),
    ("ftp://img.example/a.jpg", "refused: a URL (photos are never fetched)"),
    ("data:image/png;base64,iVBORw0KGgo=", "refused: a URL (photos are never fetched)"),
    ("file:///etc/passwd", "refused: a URL (photos are never fetched)"),
    ("//img.example/a.jpg", "refused: a URL (photos are never fetched)"),
    ("a.jpg\x00.png", "refused: control characters in its name"),
]


@pytest.mark.parametrize(("src", "reason"), REFUSED, ids=[r[0][:20] for r in REFUSED])
def test_refused_paths_get_one_line_each_and_nothing_is_read(tmp_path, opened, src, reason):
    folder = tmp_path / "in"
    path = record(folder, images=[{"src": src, "caption": "甲。"}])
    result = publish.collect([folder])
    [article] = result.articles
    shown = src.replace("\x00", "\\x00")
    assert warnings_of(result) == [f"{path}:1: 《社区图书馆开放》: photo {shown} {reason}: printed without it"]
    assert article.photos[0].file is None and opened == []
    assert article.blocks[article.photos[0].block].text == "甲。"  # the caption is kept


def test_dot_dot_out_of_the_root_is_refused_inside_it_is_not(tmp_path, opened):
    image(tmp_path / "secret.jpg")
    image(tmp_path / "in" / "shared" / "ok.jpg")
    folder = tmp_path / "in"
    path = record(folder / "sub", images=["../../secret.jpg", "../shared/ok.jpg"])
    result = publish.collect([folder])
    assert warnings_of(result) == [
        f"{path}:1: 《社区图书馆开放》: photo ../../secret.jpg refused: outside the image root {folder} "
        "(--image-root names another): printed without it"
    ]
    assert [p.file for p in result.articles[0].photos] == [None, str(folder / "shared" / "ok.jpg")]
    assert opened == [str(folder / "shared" / "ok.jpg")]


def test_a_file_given_alone_has_its_own_folder_as_root(tmp_path):
    image(tmp_path / "up.jpg")
    path = record(tmp_path / "in", images=["../up.jpg"])
    result = publish.collect([path])
    assert [w.message.split(": ", 1)[1] for w in result.warnings] == [
        f"photo ../up.jpg refused: outside the image root {tmp_path / 'in'} (--image-root names another): printed without it"
    ]


def test_a_link_out_of_the_root_is_refused(tmp_path, opened):
    image(tmp_path / "secret.jpg")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "link.jpg").symlink_to(tmp_path / "secret.jpg")
    (folder / "dir").symlink_to(tmp_path)
    image(folder / "real.jpg")
    (folder / "inner.jpg").symlink_to(folder / "real.jpg")
    path = record(folder, images=["link.jpg", "dir/secret.jpg", "inner.jpg"])
    result = publish.collect([folder])
    assert warnings_of(result) == [
        f"{path}:1: 《社区图书馆开放》: photo {name} refused: a link to a file outside the image root {folder}: printed without it"
        for name in ("link.jpg", "dir/secret.jpg")
    ]
    assert [p.file for p in result.articles[0].photos] == [None, None, str(folder / "inner.jpg")]
    assert opened == [str(folder / "inner.jpg")]


def test_image_root_allows_a_photo_outside_the_input_folder_but_inside_the_root(tmp_path):
    image(tmp_path / "photos" / "a.jpg")
    image(tmp_path.parent / f"{tmp_path.name}-outside.jpg")
    path = record(tmp_path / "articles", images=["../photos/a.jpg", f"../../{tmp_path.name}-outside.jpg"])
    without = publish.collect([path])
    assert without.articles[0].photos[0].file is None and len(without.warnings) == 2
    result = publish.collect([path], image_root=tmp_path)
    assert [p.file for p in result.articles[0].photos] == [str(tmp_path / "photos" / "a.jpg"), None]
    assert [w.message.split(": ", 1)[1] for w in result.warnings] == [
        f"photo ../../{tmp_path.name}-outside.jpg refused: outside the image root {tmp_path} (--image-root names another): "
        "printed without it"
    ]


# ---- missing and broken files -------------------------------------------------------------------


def test_missing_and_broken_images_get_one_line_naming_file_line_article_and_image(tmp_path):
    good = image(tmp_path / "good.jpg", (400, 300))
    (tmp_path / "cut.jpg").write_bytes(good.read_bytes()[:-200])
    png = image(tmp_path / "whole.png", (400, 300), kind="PNG")
    (tmp_path / "cut.png").write_bytes(png.read_bytes()[:-30])
    (tmp_path / "notes.jpg").write_text("not a picture", encoding="utf-8")
    (tmp_path / "folder.jpg").mkdir()
    Image.new("RGB", (10, 10)).save(tmp_path / "old.bmp", "BMP")
    md = tmp_path / "a.md"
    names = ["missing.jpg", "cut.jpg", "cut.png", "notes.jpg", "folder.jpg", "old.bmp", "good.jpg"]
    md.write_text("# 某某\n\n" + "".join(f"![说明{i}]({n})\n\n" for i, n in enumerate(names)), encoding="utf-8")
    result = publish.collect([tmp_path])
    assert warnings_of(result) == [
        f"{md}:3: 《某某》: photo missing.jpg not found: printed without it",
        f"{md}:5: 《某某》: photo cut.jpg is truncated: printed without it",
        f"{md}:7: 《某某》: photo cut.png is truncated: printed without it",
        f"{md}:9: 《某某》: photo notes.jpg is not an image (no format Pillow reads): printed without it",
        f"{md}:11: 《某某》: photo folder.jpg is a folder, not an image: printed without it",
        f"{md}:13: 《某某》: photo old.bmp is a BMP image (photos can be JPEG, PNG, WebP, GIF or TIFF): printed without it",
    ]
    photos = result.articles[0].photos
    assert [p.file is not None for p in photos] == [False] * 6 + [True]
    assert [result.articles[0].blocks[p.block].text for p in photos] == [f"说明{i}" for i in range(7)]


def test_a_string_has_no_folder_its_photos_are_not_looked_for():
    [article] = publish.loads("---\ntitle: 标题\n---\n\n正文。\n\n![说明](a.jpg)\n", format="markdown")
    assert [(p.src, p.file) for p in article.photos] == [("a.jpg", None)]


# ---- hostile values ------------------------------------------------------------------------------

HOSTILE = [
    12,
    3.5,
    True,
    None,
    [],
    {},
    [None, 1, True, [], {}],
    [[["a.jpg"]]],
    [{"src": ["a.jpg"]}],
    [{"src": {"url": 5}}],
    [{"src": None, "caption": "只有说明。"}],
    [{"src": True, "caption": ["列表"], "credit": {"name": "许晴"}}],
    "x" * 10_000,
    "a\x00b.jpg",
    ["\x00"],
    "data:image/png;base64," + "A" * 10_000,
    [{"src": "a.jpg"}] * 1000,
    "[not json",
    "{}",
    [{"src": "\u202e gpj.exe", "caption": "\ud800"}],
    "..",
    ".",
    "/",
    "a.jpg/",
    "\\\\server\\share\\a.jpg",
    float("nan"),
    -1,
    10**30,
]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_images_values_never_traceback(tmp_path, value):
    line = json.dumps({"title": "社区图书馆开放", "content": BODY, "images": value}, ensure_ascii=True)
    path = tmp_path / "feed.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    result = publish.collect([path])
    assert result.errors == []
    [article] = result.articles
    assert all(p.file is None for p in article.photos)
    assert all("\n" not in str(w) and len(str(w)) < 400 for w in result.warnings)
    json.dumps(article.to_dict())


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["src", "url", "caption", "credit", "desc", "x"]), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=json_values, key=st.sampled_from(["images", "image", "imgs", "pics", "photos", "thumbnail", "image_urls"]))
def test_any_json_value_as_images_reads_without_traceback(tmp_path, value, key):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"title": "标题", "content": BODY, key: value}) + "\n", encoding="utf-8")
    result = publish.collect([path])
    assert result.errors == [] and len(result.articles) == 1
    assert all("\n" not in str(w) for w in result.warnings)


# ---- the command line -----------------------------------------------------------------------------


def test_parse_json_shows_photos_and_image_root_widens_the_root(tmp_path):
    image(tmp_path / "photos" / "a.jpg", (300, 200), orientation=6)
    record(tmp_path / "in", images=[{"src": "../photos/a.jpg", "caption": "甲。", "credit": "许晴 摄"}])
    refused = run_cli("parse", "in", "--json", cwd=tmp_path)
    assert refused.returncode == 0
    assert "in/feed.jsonl:1: 《社区图书馆开放》: photo ../photos/a.jpg refused: outside the image root in" in refused.stderr
    out = run_cli("parse", "in", "--json", "--image-root", ".", cwd=tmp_path)
    assert out.returncode == 0 and "warning" not in out.stderr
    [article] = json.loads(out.stdout)
    assert article["photos"] == [
        {
            "src": "../photos/a.jpg",
            "caption": "甲。",
            "credit": "许晴 摄",
            "file": "photos/a.jpg",
            "width": 200,
            "height": 300,
            "block": len(article["blocks"]) - 1,
            "lines": [1, 1],
        }
    ]
    assert article["blocks"][-1] == {
        "kind": "caption",
        "text": "甲。",
        "credit": "许晴 摄",
        "image": "../photos/a.jpg",
        "lines": [1, 1],
    }
    missing = run_cli("parse", "in", "--image-root", "nowhere", cwd=tmp_path)
    assert missing.returncode == 2 and missing.stderr.strip() == "publish: error: --image-root nowhere: no such folder"


def test_a_missing_photo_fails_pdf_strict(tmp_path):
    (tmp_path / "a.md").write_text(f"# 社区图书馆开放\n\n{BODY}\n\n![读者在看书。](gone.jpg)\n", encoding="utf-8")
    out = run_cli("pdf", "a.md", "-t", "galley", "-o", "a.pdf", "--no-previews", "--no-check", "--strict", cwd=tmp_path)
    assert out.returncode == 1
    assert "publish: warning: a.md:5: 《社区图书馆开放》: photo gone.jpg not found: printed without it" in out.stderr.splitlines()
    assert (tmp_path / "a.pdf").is_file()


def test_images_named_among_the_inputs_are_photos_not_articles(tmp_path):
    (tmp_path / "x.txt").write_text(f"社区图书馆开放\n\n{BODY}\n", encoding="utf-8")
    image(tmp_path / "x.jpg")
    result = publish.collect([tmp_path / "x.txt", tmp_path / "x.jpg"])  # what `publish parse dump/*` names
    assert result.errors == [] and result.files == 1
    assert [p.src for p in result.articles[0].photos] == ["x.jpg"]
    assert [str(s) for s in result.skipped] == [
        f"skipped {tmp_path / 'x.jpg'}: an image: photos are read with the article that names them or shares their stem"
    ]
    alone = publish.collect([tmp_path / "x.jpg"])
    assert [str(e) for e in alone.errors] == [
        f"{tmp_path / 'x.jpg'}: an image, not an article: photos are read with the article that names them or shares their stem"
    ]


def test_parse_tree_lists_photos(tmp_path):
    image(tmp_path / "a.jpg", (300, 200))
    record(tmp_path, images=["a.jpg", "https://img.example/b.jpg"])
    out = run_cli("parse", "feed.jsonl", cwd=tmp_path)
    assert "photo  a.jpg · 300×200" in out.stdout and "photo  https://img.example/b.jpg · not found or refused" in out.stdout


def test_the_content_digest_counts_a_photo_by_its_content_not_its_place(tmp_path):
    for folder in ("one", "two"):
        image(tmp_path / folder / "a.jpg")
        record(tmp_path / folder, images=["a.jpg"])
    one, two = (publish.collect([tmp_path / f]).articles[0] for f in ("one", "two"))
    assert one.content_digest() == two.content_digest()
    image(tmp_path / "two" / "a.jpg", (65, 48))
    changed = publish.collect([tmp_path / "two"]).articles[0]
    assert changed.content_digest() != one.content_digest()


@pytest.mark.parametrize("src", ["file:///etc/passwd", "javascript:alert(1)", "data:text/plain;base64,QQ=="])
def test_markdown_images_the_parser_would_drop_are_refused_with_a_line(tmp_path, opened, src):
    md = tmp_path / "a.md"
    md.write_text(f"# 某某\n\n![说明]({src})\n", encoding="utf-8")
    result = publish.collect([md])
    assert warnings_of(result) == [f"{md}:3: 《某某》: photo {src} refused: a URL (photos are never fetched): printed without it"]
    assert [b.text for b in result.articles[0].blocks] == ["说明"] and opened == []


def test_an_image_claiming_a_huge_size_is_not_decoded(tmp_path):
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 40_000, 40_000, 8, 2, 0, 0, 0)
    (tmp_path / "bomb.png").write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b""))
    path = record(tmp_path, images=["bomb.png"])
    result = publish.collect([path])
    assert warnings_of(result) == [
        f"{path}:1: 《社区图书馆开放》: photo bomb.png is too large to read safely (a decompression bomb?): printed without it"
    ]


@pytest.mark.parametrize("command", ["parse", "pdf", "audio", "build"])
def test_every_command_that_reads_articles_takes_image_root(command):
    out = CliRunner().invoke(app, [command, "--help"], terminal_width=200)
    assert "--image-root" in out.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_is_refused_without_being_opened(tmp_path):
    """A FIFO named as a photo would block the reader for good: it is refused by its kind."""
    os.mkfifo(tmp_path / "pipe.jpg")
    md = tmp_path / "a.md"
    md.write_text("# 某某\n\n![说明](pipe.jpg)\n", encoding="utf-8")
    result = publish.collect([tmp_path])
    assert warnings_of(result) == [f"{md}:3: 《某某》: photo pipe.jpg is not a regular file: printed without it"]
