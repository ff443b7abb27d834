"""The bundled examples (written by the team) are what `make run` parses: they must read cleanly."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest

import publish
from publish.article import BlockKind
from publish.ingest.decode import decode_bytes
from publish.ingest.normalize import fold
from tests.conftest import EXAMPLES
from tests.helpers import model_text


@pytest.fixture(scope="module")
def result():
    return publish.collect([EXAMPLES])


def test_examples_parse_without_problems(result):
    assert result.errors == []
    assert result.files == 11 and len(result.articles) == 12
    assert Counter(a.source.format for a in result.articles) == {"enp": 7, "jsonl": 2, "markdown": 2, "text": 1}


def test_the_daily_issue(result):
    daily = [a for a in result.articles if a.paper.name == "青梧日报" and a.source.format == "enp"]
    assert {a.paper.date for a in daily} == {dt.date(2026, 11, 20)}
    assert {a.paper.cn for a in daily} == {"CN99-0123"}
    assert sorted((a.paper.page, a.paper.page_name) for a in daily) == [
        ("1", "要闻"),
        ("1", "要闻"),
        ("1", "要闻"),
        ("2", "综合"),
        ("2", "综合"),
        ("3", "经济"),
        ("4", "副刊"),
    ]
    assert sorted(a.id for a in daily) == [f"30010{i}" for i in range(1, 8)]
    for article in daily:
        text = "".join(b.text for b in article.blocks)
        assert re.search(r"[\u4e00-\u9fff][,:;()!?]|[,:;()!?][\u4e00-\u9fff]", text) is None, article.title
        assert "，" in text


def test_the_gb18030_example_is_detected(result):
    [weather] = [a for a in result.articles if a.source.format == "text"]
    assert weather.source.encoding == "gb18030"
    assert weather.title == "强冷空气明起来袭 全市将降温8至10℃"


@pytest.mark.parametrize(
    "path", sorted((EXAMPLES / "qingwu-daily").glob("*.txt")) + sorted((EXAMPLES / "plain").glob("*.txt")), ids=lambda p: p.name
)
def test_example_text_is_all_accounted_for(path):
    [article] = publish.load(path)
    source = Counter(fold(decode_bytes(path.read_bytes(), str(path)).text))
    sidecar = path.with_suffix(".json")  # a photo's caption and credit the sidecar adds
    if sidecar.is_file():
        record = json.loads(sidecar.read_text(encoding="utf-8"))
        source += Counter(fold(record.get("caption", "") + record.get("credit", "")))
    assert source == Counter(fold(model_text(article)))


def test_the_examples_photos_are_found_with_their_captions(result):
    photos = {p.src: (p, a) for a in result.articles for p in a.photos}
    assert sorted(photos) == ["2026-11-20-p01-1.jpg", "2026-11-20-p01-3.jpg", "canteen.webp", "trains.png", "volunteers.jpg"]
    for photo, article in photos.values():
        assert photo.file and Path(photo.file).is_file()
        assert photo.width >= 1600 and photo.height >= 1000 and photo.credit
        block = article.blocks[photo.block]
        assert (block.kind, block.text, block.credit, block.image) == (BlockKind.CAPTION, photo.caption, photo.credit, photo.src)
    assert (photos["volunteers.jpg"][0].width, photos["volunteers.jpg"][0].height) == (2400, 1600)  # EXIF 6: stored 1600 × 2400
    assert photos["2026-11-20-p01-3.jpg"][0].credit == "本报记者 许晴 摄"  # the 图片报道's own caption, from its text
    total = sum(p.stat().st_size for p in EXAMPLES.rglob("*") if p.suffix in (".jpg", ".png", ".webp"))
    assert total < 1_500_000
