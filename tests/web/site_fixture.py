"""A hand-made build folder for the site tests: issue folders with the records the pdf, web and
audio tasks write (web/pages.json, web/articles.json, manifest.json, article.vtt), small images,
and stand-ins for the audio. The text is our own sample text, not from any paper."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from PIL import Image

HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_BODY = "<script>alert(1)</script>"

# (issue key, paper, date, pages: [(label, name, [article numbers on it])], articles)
ISSUES = [
    ("青梧日报-2026-10-31", "青梧日报", "2026-10-31", [("1", "要闻", [1, 2])], ["秋粮入仓进度过半", "老街改造听民意"]),
    ("青梧日报-2026-11-19", "青梧日报", "2026-11-19", [("1", "要闻", [1])], ["新建口袋公园开放"]),
    (
        "青梧日报-2026-11-20",
        "青梧日报",
        "2026-11-20",
        [("1", "要闻", [1, 2, 3]), ("2", "城事", [3, 4])],
        ["冬季供暖今日启动", "社区食堂扩至百家", "地铁三号线试运行", "图书馆延长开放时间"],
    ),
    ("青梧晚报-2026-11-20", "青梧晚报", "2026-11-20", [("A1", "今日关注", [1])], ["夜市烟火气回来了"]),
    ("articles-undated", None, None, [("1", "", [1])], ["一封来自山区的信"]),
]
W, H = 960.0, 1400.0  # pt


def image(path: Path, size: tuple[int, int], fmt: str) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = io.BytesIO()
    Image.new("RGB", size, (250, 248, 240)).save(data, fmt)
    path.write_bytes(data.getvalue())
    return {
        "src": path.name if path.parent.name == "web" else f"{path.parent.name}/{path.name}",
        "width": size[0],
        "height": size[1],
    }


def article_record(number: int, title: str, hostile: bool) -> dict:
    part = f"{number:02d}-4000{number:02d}"
    body = [
        {"kind": "paragraph", "text": f"本报讯 {title}。记者昨天在现场看到，居民们排起了长队。"},
        {"kind": "heading", "text": "服务更贴心"},
        {"kind": "paragraph", "text": "工作人员说，接下来还会增加服务时段。大家都很满意。"},
    ]
    if number == 2:  # a photo, where its caption is printed
        body.append({"kind": "caption", "text": "社区食堂里，老人们正在用餐。 本报记者 林晓 摄"})
    if hostile and number == 1:
        title = HOSTILE_TITLE
        body.append({"kind": "paragraph", "text": HOSTILE_BODY})
    return {
        "number": number, "part": part, "id": part[3:], "page": None, "page_name": None,
        "kicker": "一线见闻" if number == 1 else None, "title": title, "subtitle": "——来自基层的报道" if number == 1 else None,
        "column": None, "bylines": ["本报记者 林晓"], "blocks": body, "photos": [],
        "text": "\n".join([title, *(b["text"] for b in body)]),
    }  # fmt: skip


def vtt(article: dict) -> str:
    """One cue per sentence of the printed parts (title, byline, blocks), ids s1, s2 …"""
    sentences = [article["title"], *article["bylines"]]
    for block in article["blocks"]:
        sentences += [s for s in re.split(r"(?<=。)", block["text"]) if s]
    lines, at = ["WEBVTT", ""], 0.0
    for n, sentence in enumerate(sentences, 1):
        lines += [f"s{n}", f"{_ts(at)} --> {_ts(at + 2)}", sentence, ""]
        at += 2
    return "\n".join(lines)


def _ts(seconds: float) -> str:
    return f"00:{int(seconds) // 60:02d}:{seconds % 60:06.3f}"


def make_build(out: Path, hostile: bool = False, audio: bool = True) -> Path:
    """The build folder: every issue of ISSUES with its records (hostile: script in the first
    article of the 2026-11-20 daily)."""
    for key, paper, date, pages, titles in ISSUES:
        folder = out / key
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "build.json").write_text("{}", encoding="utf-8")
        (folder / f"{key}.pdf").write_bytes(b"%PDF-1.7\n")
        articles = [article_record(n, t, hostile and key == "青梧日报-2026-11-20") for n, t in enumerate(titles, 1)]
        if len(articles) > 1:
            photo = image(folder / "web" / "photos" / "02-1.webp", (120, 80), "WEBP")
            articles[1]["photos"] = [
                {**photo, "caption": "社区食堂里，老人们正在用餐。", "credit": "本报记者 林晓 摄", "block": 3}
            ]
        page_records = []
        for number, (label, name, on) in enumerate(pages, 1):
            web = folder / "web"
            (web / f"{key}-p{number:02d}.pdf").parent.mkdir(parents=True, exist_ok=True)
            (web / f"{key}-p{number:02d}.pdf").write_bytes(b"%PDF-1.7\n")
            band = H / len(on)
            areas = [{"article": a - 1, "rects": [[20.0, 20 + i * band, W - 40, band - 40]]} for i, a in enumerate(on)]
            if len(on) > 1:  # an L-shaped article: two rectangles
                areas[0]["rects"].append([20.0, 20 + band - 30, (W - 40) / 2, 20.0])
            page_records.append({
                "number": number, "label": label, "name": name, "width": W, "height": H,
                "image": image(web / f"p{number:02d}.webp", (160, 233), "WEBP"),
                "fallback": image(web / f"p{number:02d}.png", (80, 117), "PNG"),
                "thumb": image(web / f"p{number:02d}-thumb.webp", (40, 58), "WEBP"),
                "pdf": f"{key}-p{number:02d}.pdf", "areas": areas,
            })  # fmt: skip
        (folder / "web" / "pages.json").write_text(
            json.dumps({"version": 1, "issue": key, "pdf": f"{key}.pdf", "pages": page_records}, ensure_ascii=False),
            encoding="utf-8",
        )
        record = {"version": 1, "issue": key, "paper": paper, "date": date, "articles": articles}
        (folder / "web" / "articles.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        if audio:
            write_audio(folder, key, articles)
    return out


def write_audio(folder: Path, key: str, articles: list[dict]) -> None:
    """Stand-ins of the audio edition: article.mp3 (not real MP3), article.vtt, the manifest."""
    entries = []
    for article in articles:
        part = folder / article["part"]
        part.mkdir(exist_ok=True)
        (part / "article.mp3").write_bytes(b"ID3")
        (part / "article.vtt").write_text(vtt(article), encoding="utf-8")
        part_name = article["part"]
        sections = [
            {"title": article["title"], "file": f"{part_name}/01-headline.mp3", "start": 0.0, "duration": 5.0},
            {"title": "服务更贴心", "file": f"{part_name}/02-part-1.mp3", "start": 6.0, "duration": 14.0},
        ]
        entries.append({"title": article["title"], "folder": part_name, "mp3": f"{part_name}/article.mp3", "duration": 20.0,
                        "loudness": -16.0, "true_peak": -1.5, "bytes": 3, "sections": sections, "id": article["id"]})  # fmt: skip
    (folder / "feed.xml").write_text("<rss/>", encoding="utf-8")
    (folder / "playlist.m3u8").write_text("#EXTM3U\n", encoding="utf-8")
    date = key[-10:] if key[-10:-6].isdigit() else None
    manifest = {"issue": key, "paper": None, "date": date, "articles": entries}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
