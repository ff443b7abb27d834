"""Turn an article's body paragraphs into typed blocks: headings, leads, captions, Q&A, notes.

Every reader hands its body here as `Para`s (text plus source lines), so the rules for
what a 小标题, a 编者按 or a photo credit looks like live in one place.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..article import Block, BlockKind, Byline, Dateline, Person, Role, Span
from .bylines import BylineParse, looks_like_name, names_look_real, parse_byline, parse_dateline
from .chars import DECORATION, HAN, ends_sentence, match_key
from .normalize import normalize_text, squeeze_spaces

HEADING_MAX = 36  # characters; the longest 小标题 seen run to about 30
_SHORT = 100  # notes, jumps and credits are shorter than this

_JUMP = re.compile(r"[（(]\s*(?:上接|下转|接|转|紧接|转自|续)\s*第?\s*[A-Za-z]?\d{1,3}\s*版\s*(?:[^（()）]{0,12})?[）)]")
_TEASER = re.compile(
    r"^(?:>{2,}|＞{2,})\s*\S"
    r"|^(?:详见|更多(?:内容|报道|详情)?请?(?:见|详见|扫码|登录|关注))[^。！？]{0,30}(?:版|网|网站|客户端|APP|app|www\.\S+|https?://\S+)$"
)
_NOTE_BRACKET = re.compile(r"^[（(][^（）()]{2,80}[）)]$")
_NOTE_WORDS = re.compile(r"作者|单位|本报|电[）)]?$|来源|供稿|稿件|译者|整理|编译|摘编|原载|转载")
_CREDIT_LINE = re.compile(
    r"^(?:本版|本刊|本期)?(?:制图|责编|责任编辑|编辑|版式设计|版式|美编|校对|刊头书法|刊头题字|题图|插图|图片编辑|"
    r"策划|统筹|监制|审校|制作|设计|数据来源|资料来源|图片来源)\s*[：:｜|]"
)
_SOURCE_LINE = re.compile(r"[（(]?(?:据|来源[：:]|转自|摘自)\s*[\u4e00-\u9fff《》]{2,16}(?:报道|消息|电)?[）)]?")
_AGENCY_CREDIT = re.compile(
    r"^(?:人民视觉|视觉中国|东方IC|IC\s*photo|CFP|新华社发|中新社发|资料图片|资料图|网络图片)$|供图$|[（(]资料图片[）)]$"
)
_CAPTION_START = re.compile(r"^(?:图为|上图|下图|左图|右图|中图|题图|图[①-⑩\d]|[（(]图[）)]|图\s*[：:]|▲|△)")
_EDITOR_NOTE = re.compile(r"^[【\[]?编者按[】\]]?\s*[：:]?")
_EDITOR_SIGN = re.compile(r"^——\s*编\s*(?:者|辑)\s*$")
_MARKER = re.compile(
    r"^(?P<marker>[●◆◇○■□▲△★☆•▪◎►▶✓✔]|[①-⑳]|[⑴-⒇]|[（(][一二三四五六七八九十]{1,3}[）)]|"
    r"[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．](?!\d)|[（(]\d{1,2}[）)])\s*(?P<text>\S.*)$"
)
_SPEAKER = re.compile(
    r"^(?P<speaker>[^\s：:，,。！？!?“”「」（）()《》、]{1,10}?)(?P<aside>[（(][^）)]{1,14}[）)])?\s*[：:]\s*(?P<rest>\S.*)$"
)
_SPEECH_VERB = re.compile(
    r"(?:说|表示|指出|认为|强调|介绍|告诉记者|问道|答道|回答|说道|称|写道|提出|要求|透露|坦言|提醒|通知|公告|规定)$"
)
_END_MARKS = frozenset({"完", "全文完", "（完）", "（全文完）", "待续", "（待续）", "未完待续", "（未完待续）", "-END-", "END"})
_INTERVIEWERS = frozenset({"问", "答", "Q", "A", "记者", "本报记者", "主持人", "新民晚报", "本报"})


@dataclass
class Para:
    """One body paragraph as a reader found it: text with its spacing, and source lines."""

    text: str
    lines: Span
    gap_before: bool = False  # a blank separator precedes it (where the form makes that meaningful)
    kind: BlockKind | None = None  # set when the source's markup says what it is (Markdown)
    marker: str | None = None
    credit: str | None = None
    image: str | None = None

    @property
    def normal(self) -> str:
        return normalize_text(self.text)


@dataclass
class Body:
    """The typed blocks of a body and the bylines and dateline found in it."""

    blocks: list[Block] = field(default_factory=list)
    bylines: list[Byline] = field(default_factory=list)
    dateline: Dateline | None = None


def analyze_body(paras: list[Para]) -> Body:
    """Classify paragraphs into blocks, then settle what needs context: leads, Q&A, captions."""
    paras = _split_glued(paras)
    body = Body()
    for index, para in enumerate(paras):
        block = _classify(para, index, paras, body)
        if block is not None:
            body.blocks.append(block)
    _mark_verse(body.blocks)
    _mark_editor_note(body.blocks)
    _mark_lead(body.blocks, paras)
    _find_dateline(body)
    _mark_qa(body.blocks)
    _mark_captions(body.blocks)
    return body


def _split_glued(paras: list[Para]) -> list[Para]:
    """Split off what scrapers glued onto a paragraph: a byline or jump line after the last 。."""
    out: list[Para] = []
    last = len(paras) - 1
    for index, para in enumerate(paras):
        text = para.text.rstrip()
        pieces: list[str] = []
        if (m := _JUMP.search(text)) and m.end() == len(text) and m.start() > 0:
            pieces.insert(0, m.group(0))
            text = text[: m.start()].rstrip()
        if (m := _JUMP.match(text)) and m.end() < len(text):
            out.append(Para(m.group(0), para.lines, para.gap_before))
            text = text[m.end() :].lstrip()
        if para.kind is not None:
            out.append(Para(text, para.lines, para.gap_before, para.kind, para.marker, para.credit, para.image))
            out.extend(Para(piece, para.lines) for piece in pieces)
            continue
        tail = _byline_tail(text, at_end=index == last)
        if tail:
            pieces.insert(0, text[tail:].strip())
            text = text[:tail].rstrip()
        out.append(Para(text, para.lines, para.gap_before))
        out.extend(Para(piece, para.lines) for piece in pieces)
    return out


def _byline_tail(text: str, at_end: bool) -> int | None:
    """Where a byline glued after the last sentence starts (``…赛场。本报记者  石磊``)."""
    for i in range(len(text) - 2, max(len(text) - 42, 0), -1):
        if text[i] in "。！？!?”…":
            tail = text[i + 1 :].strip()
            if not tail or not HAN.search(tail):
                return None
            parsed = parse_byline(tail)
            if parsed and not parsed.bare:
                return i + 1
            if parsed and at_end and all(looks_like_name(p.name) for p in parsed.people) and len(tail) <= 4:
                return i + 1
            return None
    return None


def _classify(para: Para, index: int, paras: list[Para], body: Body) -> Block | None:
    text = para.normal
    if not text and not para.image:
        return None
    last = index == len(paras) - 1
    previous = body.blocks[-1] if body.blocks else None

    def block(kind: BlockKind, value: str = text, **extra: str | None) -> Block:
        return Block(kind, value, para.lines, **extra)  # type: ignore[arg-type]

    if para.kind is not None:
        credit = normalize_text(para.credit) if para.credit else None
        return Block(para.kind, text, para.lines, marker=para.marker, credit=credit, image=para.image)

    short = len(text) <= _SHORT
    key = match_key(text[:_SHORT])  # the rules below look at a line's start or at short lines only
    if key in _END_MARKS:
        return block(BlockKind.NOTE)
    if (short and _JUMP.fullmatch(key)) or _TEASER.match(key):
        return block(BlockKind.JUMP)
    if _EDITOR_NOTE.match(key) or _EDITOR_SIGN.match(key):
        return block(BlockKind.EDITOR_NOTE)
    if _CREDIT_LINE.match(key):
        return block(BlockKind.NOTE)
    if short and _NOTE_BRACKET.match(key) and (_NOTE_WORDS.search(key) or last):
        return block(BlockKind.NOTE)
    if short and _SOURCE_LINE.fullmatch(key):
        return block(BlockKind.NOTE)
    if _AGENCY_CREDIT.search(key) and len(text) <= 30:
        return block(BlockKind.CREDIT)
    byline = _body_byline(para, index, last, text)
    if byline is not None:
        body.bylines.append(byline)
        return block(BlockKind.CREDIT if _is_photo_credit(byline) else BlockKind.BYLINE)
    if text.startswith("——"):
        if previous is not None and previous.kind is BlockKind.HEADING and len(text) <= HEADING_MAX:
            return block(BlockKind.HEADING)
        if len(text) <= 40 and not ends_sentence(text):
            return block(BlockKind.SIGNATURE)
    if m := _MARKER.match(text):
        return _marked(m, text, para, last, _in_list(paras, index, m.group("marker")))
    if _CAPTION_START.match(key):
        return block(BlockKind.CAPTION)
    if _is_heading(text, last):
        return block(BlockKind.HEADING)
    return block(BlockKind.PARAGRAPH)


def _body_byline(para: Para, index: int, last: bool, text: str) -> Byline | None:
    """A byline line in the body. Bare names are believed only where bylines stand: first
    (the author of a column) or last (a signature, at most three characters a name)."""
    parsed = parse_byline(para.text)
    if parsed is None:
        parsed = _name_with_affiliation(text) if last else None
        if parsed is None:
            return None
    elif parsed.bare and not parsed.photo:
        first_ok = index == 0 and names_look_real(parsed)
        last_ok = last and names_look_real(parsed) and all(len(p.name) <= 3 for p in parsed.people)
        if not (first_ok or last_ok):
            return None
    return Byline(squeeze_spaces(text.lstrip("".join(DECORATION) + " ")), parsed.people, "body", para.lines)


def _is_photo_credit(byline: Byline) -> bool:
    """``新华社记者 王建威摄``: a photographer's credit line rather than a writer's byline."""
    photographers = any(p.role is Role.PHOTOGRAPHER for p in byline.people)
    return photographers and byline.text.endswith(("摄", "发）", "发)"))


def _name_with_affiliation(text: str) -> BylineParse | None:
    """``林晓雯（青梧市第一人民医院感染管理科主任）`` closing an expert's piece."""
    m = re.fullmatch(r"(?P<name>\S{2,4})[（(](?P<aff>[^（）()]{4,80})[）)]", text)
    if m and looks_like_name(m.group("name")):
        return BylineParse([Person(m.group("name"), Role.AUTHOR)], bare=False, photo=False)
    return None


def _in_list(paras: list[Para], index: int, marker: str) -> bool:
    """A neighbour opens with the same bullet: the line is one item of a list."""
    neighbours = [paras[i].text.lstrip() for i in (index - 1, index + 1) if 0 <= i < len(paras)]
    return any(text.startswith(marker) for text in neighbours)


def _marked(m: re.Match[str], text: str, para: Para, last: bool, in_list: bool) -> Block:
    marker, rest = m.group("marker"), m.group("text")
    numbered = marker not in "●◆◇○■□▲△★☆•▪◎►▶✓✔"
    short = len(rest) <= HEADING_MAX and not ends_sentence(rest) and "：" not in rest
    if (marker in "■□" or (not numbered and not in_list)) and short:
        return Block(BlockKind.HEADING, rest, para.lines, marker=marker)
    if marker in "■□" and not short:
        return Block(BlockKind.PARAGRAPH, rest, para.lines, marker=marker)
    if numbered and short and not last and re.match(r"[一二三四五六七八九十（(]", marker):
        return Block(BlockKind.HEADING, text, para.lines)
    return Block(BlockKind.LIST_ITEM, rest, para.lines, marker=marker)


def _is_heading(text: str, last: bool) -> bool:
    if last or (not HAN.search(text) and not text.isdigit()):
        return False
    if text.isdigit():
        return len(text) <= 2
    if re.fullmatch(r"[【\[].{1,20}[】\]]", text):
        return True
    if len(text) > HEADING_MAX or not _quotes_balanced(text) or "：" in text:
        return False
    if text.endswith(("？", "！", "?", "!")):
        quoted = text.startswith(("“", "「"))
        return len(text) <= 16 and not quoted and text.count("，") == 0
    if text.endswith("——"):
        return len(text) <= 20
    return not ends_sentence(text)


def _quotes_balanced(text: str) -> bool:
    return text.count("“") == text.count("”") and text.count("《") == text.count("》") and text.count("（") == text.count("）")


def _mark_verse(blocks: list[Block]) -> None:
    """Runs of three or more short lines, some ending in a comma, are lines of a poem.

    A run starts on a line that does not end a sentence and stops after one that does.
    """
    i = 0
    while i < len(blocks):
        run = _verse_run(blocks, i)
        clauses = sum(1 for b in run if b.text.endswith(("，", ",")))  # not ；: enumerations use it
        opens = bool(run) and run[0].text.startswith("“") and not _quotes_balanced(run[0].text)
        if len(run) >= 3 and (clauses * 3 >= len(run) or opens):
            for b in run:
                b.kind = BlockKind.VERSE
            i += len(run)
        else:
            i += 1


def _verse_run(blocks: list[Block], start: int) -> list[Block]:
    run: list[Block] = []
    for b in blocks[start:]:
        if b.kind not in (BlockKind.HEADING, BlockKind.PARAGRAPH) or len(b.text) > 24 or b.text.endswith(("：", ":")):
            break
        final = ends_sentence(b.text) and not b.text.rstrip("”’」』）").endswith(("，", "、", "；", ","))
        if final and not run:
            break
        run.append(b)
        if final:
            break
    return run


def _mark_editor_note(blocks: list[Block]) -> None:
    """Paragraphs above a ——编者 signature near the top are the editor's note."""
    for i, b in enumerate(blocks[:6]):
        if b.kind is BlockKind.EDITOR_NOTE and _EDITOR_SIGN.match(b.text):
            for earlier in blocks[:i]:
                if earlier.kind in (BlockKind.PARAGRAPH, BlockKind.LEAD):
                    earlier.kind = BlockKind.EDITOR_NOTE
            return


def _mark_lead(blocks: list[Block], paras: list[Para]) -> None:
    """A ■-marked first paragraph, or one set apart by a blank line, is the 提要."""
    first = next((b for b in blocks if b.kind not in (BlockKind.BYLINE, BlockKind.EDITOR_NOTE)), None)
    if first is None or first is blocks[-1]:
        return
    if first.kind is BlockKind.PARAGRAPH and first.marker in ("■", "□"):
        first.kind = BlockKind.LEAD
        return
    following = [p for p in paras if first.lines is not None and p.lines.first > first.lines.last]
    gap_after = bool(following) and following[0].gap_before
    if first.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING) and gap_after and parse_dateline(first.text) is None:
        if first.kind is BlockKind.PARAGRAPH or len(first.text) > 20:
            first.kind = BlockKind.LEAD


def _find_dateline(body: Body) -> None:
    for b in body.blocks[:4]:
        if b.kind in (BlockKind.PARAGRAPH, BlockKind.LEAD):
            parsed = parse_dateline(b.text)
            if parsed:
                body.dateline = parsed.dateline
                if parsed.people:
                    body.bylines.insert(0, Byline(parsed.people_text or "", parsed.people, "dateline", b.lines))
            return


def _mark_qa(blocks: list[Block]) -> None:
    """Interview turns: ``记者：…`` / ``周冠宇：…`` or 问/答 — speakers that recur or answer."""
    turns: list[tuple[int, str]] = []
    for i, b in enumerate(blocks):
        if b.kind is not BlockKind.PARAGRAPH:
            continue
        m = _SPEAKER.match(b.text)
        if not m or m.group("rest").startswith(("“", "「")) or _SPEECH_VERB.search(m.group("speaker")):
            continue
        turns.append((i, m.group("speaker")))
    counts = Counter(speaker for _, speaker in turns)
    interviewers = {s for s in counts if s in _INTERVIEWERS}
    if (interviewers and len(counts) >= 2) or {"问", "答"} <= set(counts):
        accepted = interviewers | {s for i, s in turns if _follows(turns, i, interviewers)}
    else:
        recurring = {s for s, n in counts.items() if n >= 2}
        accepted = recurring if len(recurring) >= 2 and sum(counts[s] for s in recurring) >= 4 else set()
    for i, speaker in turns:
        if speaker in accepted:
            blocks[i].kind = BlockKind.QA
            blocks[i].speaker = speaker


def _follows(turns: list[tuple[int, str]], index: int, interviewers: set[str]) -> bool:
    """True when the turn at block `index` comes right after an interviewer's turn."""
    previous = [s for i, s in turns if i < index]
    return bool(previous) and previous[-1] in interviewers


def _mark_captions(blocks: list[Block]) -> None:
    """Attach photo credits to the caption before them; a short photo item is all caption."""
    text_blocks = [b for b in blocks if b.kind in (BlockKind.PARAGRAPH, BlockKind.CAPTION)]
    tail = [b for b in blocks if b.kind is not BlockKind.NOTE]
    photo_item = (
        bool(tail)
        and tail[-1].kind is BlockKind.CREDIT
        and len(text_blocks) <= 3
        and sum(len(b.text) for b in text_blocks) <= 300
        and not any(b.kind is BlockKind.HEADING for b in blocks)
    )
    if photo_item:
        for b in text_blocks:
            b.kind = BlockKind.CAPTION
    i = 1
    while i < len(blocks):
        b, before = blocks[i], blocks[i - 1]
        if b.kind is BlockKind.CREDIT and before.kind is BlockKind.CAPTION and before.credit is None:
            before.credit = b.text
            if before.lines and b.lines:
                before.lines = Span(before.lines.first, b.lines.last)
            del blocks[i]
            continue
        i += 1
