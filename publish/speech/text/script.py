"""Article → narration script: what a listener hears, in sections, cut into requests.

The script keeps the printed text of every piece next to what is sent to the engine, so
subtitles show the original while the engine gets text normalised for speech.

    Script ── SpokenSection (headline | lead | body | part-N) ── Utterance (one engine request)
                                                           └─ cues (subtitle lines)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...article import Article, Block, BlockKind
from .normalize import speakable, spoken

if TYPE_CHECKING:
    from .pronounce import Fixed

# A request carries a few sentences: far under the service's limits (10 minutes of audio a
# request), long enough that the voice keeps its intonation across sentence ends.
REQUEST_CHARS = 240
# A subtitle line: about what fits two lines of a phone screen.
CUE_CHARS = 32

# Pauses the edition inserts, in seconds (engines' own leading/trailing silence is trimmed).
PAUSE_SENTENCE = 0.25  # between requests inside a paragraph
PAUSE_PARAGRAPH = 0.6
PAUSE_HEADLINE = 0.5  # between 引题, 主题, 副题 and byline

# ASCII marks end a sentence or clause only where they are not inside an address or number
# (https://…?id=1, 1,000, 9:30): followed by a space, the end, or a character that is not Latin.
_ASCII_END = r"(?![0-9A-Za-z/=&#_%~+\-])"
_SENTENCE_END = re.compile(
    rf"(?:[。！？…]|[!?]{_ASCII_END})+[”’」』）)》]*|(?:；|;{_ASCII_END})(?=.)|(?<=[A-Za-z\u4e00-\u9fff])\.(?=\s)"
)
_CLAUSE_END = re.compile(rf"(?:[，、：；]|[,:;]{_ASCII_END})+[”’」』）)》]*")
# Marks that belong to the text before them (a cue never starts with one) and after them.
_CLOSING = "，。、；：！？!?,.;:…”’」』）)》〕】〉]%‰"
_OPENING = "“‘「『（(《〔【〈["
SKIPPED = {BlockKind.JUMP}
LEAD_KINDS = {BlockKind.LEAD, BlockKind.EDITOR_NOTE}  # （下转第3版）: a page reference means nothing to a listener


@dataclass(frozen=True)
class Cue:
    """One subtitle line: printed text and the share of its utterance's speech it takes."""

    text: str
    sentence: int  # index of the sentence (within the utterance) this cue belongs to
    weight: int  # spoken characters: the cue's share of its sentence's duration


@dataclass(frozen=True)
class Utterance:
    """One engine request: the printed text, the text sent, and the pause after it."""

    text: str
    spoken: str
    sentences: tuple[str, ...]  # printed sentences, in order
    cues: tuple[Cue, ...]
    pause: float  # seconds of silence after it
    fixed: Fixed | None = None  # pronunciation fixes for the engine (`pronounce.py`)

    @property
    def speakable(self) -> bool:
        return speakable(self.spoken)

    @property
    def request(self) -> str:
        """What the engine is sent: the spoken text with its pronunciation fixes."""
        return self.fixed.sent if self.fixed is not None else self.spoken


@dataclass
class SpokenSection:
    """A chapter of the narration: one MP3 file (`NN-<slug>.mp3`) and one ID3 chapter."""

    index: int  # 1-based
    slug: str  # headline | lead | body | part-1 …
    title: str  # the chapter title: the headline, 导语, 正文 or the 小标题
    utterances: list[Utterance] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # printed text not read, e.g. jump lines

    @property
    def stem(self) -> str:
        return f"{self.index:02d}-{self.slug}"

    @property
    def text(self) -> str:
        """All printed text this section reads."""
        return "".join(u.text for u in self.utterances)


@dataclass
class Script:
    """The narration of one article."""

    title: str
    sections: list[SpokenSection]
    skipped: list[str] = field(default_factory=list)  # text of sections with nothing to say
    engine: str = ""  # the engine its pronunciation fixes are for ("": none applied)

    @property
    def utterances(self) -> list[Utterance]:
        return [u for s in self.sections for u in s.utterances]


def narration(article: Article) -> Script:
    """The narration script of `article`: headline block, lead, one section per 小标题."""
    sections: list[SpokenSection] = []

    def add(slug: str, title: str, blocks: list[Block], headings: list[Block] | None = None) -> None:
        section = SpokenSection(len(sections) + 1, slug, title)
        for heading in headings or []:
            section.utterances += utterances(heading.text, PAUSE_PARAGRAPH)
        for block in blocks:
            if block.kind in SKIPPED:
                section.skipped.append(block.text)
                continue
            section.utterances += utterances(block_text(block), PAUSE_PARAGRAPH)
        if section.utterances or section.skipped:
            sections.append(section)

    head = SpokenSection(1, "headline", article.headline.printed_title)
    for line in headline_parts(article):
        head.utterances += utterances(line, PAUSE_HEADLINE)
    sections.append(head)

    parts = article.sections
    if parts and parts[0].title is None:
        intro = parts.pop(0).blocks
        if parts:  # what comes before the first 小标题 is the lead
            add("lead", "导语", intro)
        else:
            add("lead", "导语", [b for b in intro if b.kind in LEAD_KINDS])
            add("body", "正文", [b for b in intro if b.kind not in LEAD_KINDS])
    for number, part in enumerate(parts, 1):
        add(f"part-{number}", part.title or f"第{number}部分", part.blocks, part.headings)
    return _without_silent(Script(article.headline.printed_title, sections))


def _without_silent(script: Script) -> Script:
    """Sections with nothing to say (only a jump line, only marks) make no file or chapter:
    their text moves to the script's `skipped`."""
    kept: list[SpokenSection] = []
    for section in script.sections:
        if any(u.speakable for u in section.utterances):
            section.index = len(kept) + 1
            kept.append(section)
        else:
            script.skipped += [u.text for u in section.utterances] + section.skipped
    script.sections = kept
    return script


def headline_parts(article: Article) -> list[str]:
    """引题, 主题 (with its column tag), 副题 and the head bylines, as printed."""
    return [text.strip() for _, text in article.headline_block if text.strip()]


def block_text(block: Block) -> str:
    """A block as it is read: list marker and photo credit included (a QA turn's text already
    starts with its speaker)."""
    text = block.text
    if block.marker and not text.startswith(block.marker):
        text = f"{block.marker}{text}"
    if block.credit:
        text = f"{text}（{block.credit}）"
    return text


def utterances(text: str, pause: float) -> list[Utterance]:
    """A paragraph cut into requests of whole sentences; the last gets the paragraph's pause."""
    pieces: list[list[str]] = [[]]
    size = 0
    for sentence in split_sentences(text):
        if pieces[-1] and size + len(sentence) > REQUEST_CHARS:
            pieces.append([])
            size = 0
        pieces[-1].append(sentence)
        size += len(sentence)
    made = []
    for number, sentences in enumerate(p for p in pieces if p):
        printed = "".join(sentences)
        said = spoken(printed)
        cues = tuple(cue for index, sentence in enumerate(sentences) for cue in _cues(sentence, index))
        last = number == len(pieces) - 1
        made.append(Utterance(printed, said, tuple(sentences), cues, pause if last else PAUSE_SENTENCE))
    return made


def split_sentences(text: str, limit: int = REQUEST_CHARS) -> list[str]:
    """Sentences with their end marks (and closing quotes); one longer than `limit` is cut at
    clause marks, and only as a last resort inside a clause. Joined, they give `text` back."""
    sentences = _split(text, _SENTENCE_END)
    out: list[str] = []
    for sentence in sentences:
        if len(sentence) <= limit:
            out.append(sentence)
            continue
        out += _pack(_split(sentence, _CLAUSE_END), limit)
    return out


def _split(text: str, marks: re.Pattern[str]) -> list[str]:
    pieces, start = [], 0
    for found in marks.finditer(text):
        pieces.append(text[start : found.end()])
        start = found.end()
    if start < len(text):
        pieces.append(text[start:])
    return _attach_marks([p for p in pieces if p])


def _says_something(piece: str) -> bool:
    return any(ch.isalnum() for ch in piece)


def _attach_marks(pieces: list[str]) -> list[str]:
    """A piece of marks only (the `；` of `。；`) goes with the piece before it, or the first
    with the one after: no request or subtitle line holds only punctuation."""
    out: list[str] = []
    for piece in pieces:
        if out and (not _says_something(piece) or not _says_something(out[-1])):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def _pack(clauses: list[str], limit: int, stretch: bool = False) -> list[str]:
    """Clauses joined into pieces of at most `limit` characters (a longer clause is cut;
    `stretch`: a word longer than `limit` is kept whole)."""
    out: list[str] = []
    for clause in clauses:
        # a subtitle line takes up to two more characters (and marks) rather than leave them alone
        while len(clause) > limit and not (stretch and sum(ch.isalnum() for ch in clause[limit:]) <= 2):
            cut = _cut_point(clause, limit, stretch)
            out.append(clause[:cut])
            clause = clause[cut:]
        if out and len(out[-1]) + len(clause) <= limit and not _SENTENCE_END.search(out[-1][-1:]):
            out[-1] += clause
        else:
            out.append(clause)
    return out


_WORD = re.compile(r"[0-9A-Za-z.,%:/\-?=&#_~+@'·•]")
# Characters after which a Chinese phrase ends more often than not (particles, conjunctions,
# prepositions): a cut after one of them rarely falls inside a word or a name.
_PHRASE_END = "的了着过和与及或并而在是对将把被向从为等也都就又"
# …unless it starts a word with the next one (和平, 过程, 在于).
_PHRASE_WORDS = frozenset(
    re.findall(
        "..",
        "和平和谐和睦和解和美和煦的确了解了不着力着手着眼着重过程过去过度过于及时及其并且并非并不而且而是而言在于是否"
        "对于对象对待将来将近把握被告向往从而从事从来从未为了为止为主等待等级等于也许都市就是就业又称与其或者或许",
    )
)


def _cut_point(text: str, limit: int, stretch: bool = False) -> int:
    """Where to cut a piece with no clause mark: after the last space; else after a particle
    (的, 和, 在 …), a dash or a closing quote or bracket, or before an opening one; else between
    two characters not both inside a number, Latin word, address or ·-joined name; never before
    a closing mark or after an opening one. At `limit` only if none (`stretch`: after the word
    that runs over the limit)."""
    space = text.rfind(" ", 1, limit)
    if space > limit // 2:
        return space + 1

    def fits(at: int) -> bool:
        before, after = text[at - 1], text[at]
        inside = (_WORD.match(before) and _WORD.match(after)) or "·" in (before, after)
        return not inside and after not in _CLOSING and before not in _OPENING

    for at in range(limit, limit // 2, -1):
        particle = text[at - 1] in _PHRASE_END and text[at - 1 : at + 1] not in _PHRASE_WORDS
        dash = text[at - 1] in "—…" and text[at] not in "—…"
        phrase = particle or dash or text[at] in _OPENING or text[at - 1] in "”’」』）)》〕】"
        if phrase and fits(at):
            return at
    for at in range(limit, 0, -1):
        if fits(at):
            return at
    if stretch:  # a subtitle line holds a word longer than a line (a web address) whole
        return next((at for at in range(limit + 1, len(text)) if fits(at)), len(text))
    return limit


def _cues(sentence: str, index: int) -> list[Cue]:
    """A sentence as subtitle lines of at most about CUE_CHARS, cut at clause marks (a web
    address longer than a line is a line of its own)."""
    pieces = _pack(_split(sentence, _CLAUSE_END), CUE_CHARS, stretch=True) if len(sentence) > CUE_CHARS else [sentence]
    return [Cue(p, index, max(1, len(spoken(p).strip()))) for p in pieces]


def review(script: Script, heading: str = "") -> str:
    """The script as an editor reviews it: each request numbered, the text sent under the
    printed text where they differ, unspeakable and skipped text marked."""
    lines = [f"# {heading or script.title}"]
    number = 0
    for section in script.sections:
        lines.append(f"\n## {section.stem}  {section.title}")
        for utterance in section.utterances:
            if not utterance.speakable:
                lines.append(f"     (not read: nothing to say) {utterance.text}")
                continue
            number += 1
            lines.append(f"[{number:>3}] {utterance.text}")
            shown = utterance.fixed.marked if utterance.fixed is not None else utterance.spoken
            if shown != utterance.text:
                lines.append(f"    → {shown}")
        lines += [f"     (skipped) {text}" for text in section.skipped]
    fixes = [f for u in script.utterances if u.fixed is not None for f in u.fixed.fixes]
    if script.engine:
        lost = [f for f in fixes if f.sent is None]
        summary = f"\n(pronunciation for {script.engine}: {len(fixes) - len(lost)} fixed"
        summary += f", {len(lost)} not fixable: " + " ".join(f.mark for f in lost) + ")" if lost else ")"
        lines.append(summary)
    return "\n".join(lines) + "\n"
