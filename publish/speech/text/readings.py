"""The intended reading (pinyin, TONE3) of every Han character in a text.

pypinyin reads every character; where a character is a polyphone, the g2pM model decides
from its context, except inside a word pypinyin's phrase dictionary knows (行长, 长大, 觉得)
and CC-CEDICT reads alike, where the dictionary's reading stands unless the model is all but
certain otherwise — and unless the clause's best segmentation has no such word (我会计算).
Elsewhere a CC-CEDICT word decides where the model is unsure. A character pypinyin has no
reading for (㘃, 𠮷) keeps none. Measured on the CPP dev split: pypinyin alone 87.5 %, the
model alone 97.4 %, together 98.0 % (`benchmarks/polyphones.py`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .lexicon import Lexicon
from .normalize import unified

# Above this confidence the model overrules a phrase-dictionary reading, except at the first
# character of the word: there the dictionary stands (the model reads 会计, 中奖, 教书 as huì,
# zhōng, jiào with 0.999 confidence), while later characters are where pypinyin's greedy
# segmentation makes words that are not there. The one number chosen on CPP dev: accuracy
# stays within 97.7–97.8 % for any value from 0.9 to 0.999.
# Against the model, the dictionary stands only where CC-CEDICT lists the word with the same
# reading (two dictionaries made apart agree): where it does not (pypinyin's 呵叻 kē, which CC-CEDICT lacks),
# the model decides. Chosen on the even lines of CPP dev (98.02 -> 98.16 %), checked on the
# odd ones (97.61 -> 97.86 %); the news sets read as before or better (held-out 148 -> 149 of 160).
OVERRULE_PHRASE = 0.999
# Characters the model reads by their commonest reading whatever the word (了 as le5 even in
# 了解, 的 as de5 in 目的, with 0.99999 confidence): inside a dictionary word, the dictionary wins.
PHRASE_FIRST = frozenset("了的着地得")

# Outside pypinyin's phrase dictionary, where the model is less sure than this, a CC-CEDICT word
# around the character decides (pypinyin's dictionary lists mostly words it would misread; CC-CEDICT
# lists 100,000 words). Chosen on the even lines of CPP dev (0.99: 98.02 %; 0.999: 97.98 %) and
# checked on the odd ones: 97.55 % without, 97.61 % with.
CEDICT_BELOW = 0.99
# Where the clause's best segmentation cuts across a dictionary word (我会计算 is 我｜会｜计算, not
# 我｜会计｜算), the model decides — except for characters it reads one way whatever the context:
# 为 as the copula wéi with 0.9999 confidence even in 为了解决 and 他们为了解群众.
MODEL_BIASED = frozenset("为")

HAN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af]")
# Characters that are read (and given pinyin): Han ideographs of every block, and private-use
# characters (a paper's 造字, some of which pypinyin knows). One without a reading is printed as it
# is, passed to the engine as it is, and reported.
WANTS_READING = re.compile(HAN.pattern[:-1] + r"\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
_SENTENCE = re.compile(r"[^。！？!?；;\n]*[。！？!?；;\n]*")


@dataclass(frozen=True)
class Reading:
    """One character and how it is read; `source` says who decided: phrase, model, cedict, single, grammar, lexicon or surname."""

    char: str
    pinyin: str | None  # TONE3 (neutral tone 5, ü as v); None for a non-Han character or one without a reading (㘃)
    polyphone: bool = False
    source: str = ""  # phrase | model | cedict | single | grammar | lexicon | surname
    plain: str | None = None  # what pypinyin's dictionary alone says: what a dictionary-driven engine would say
    word: tuple[int, int] = (0, 0)  # the dictionary or lexicon word it is in: start and end in the text
    kind: str = ""  # for lexicon readings: name | word | misread


class PinyinReader:
    """Reads texts; loads pypinyin and the model on first use (about 0.3 s). A lexicon's
    words and surnames (see `lexicon.py`) override both."""

    def __init__(self, lexicon: Lexicon | None = None):
        self.lexicon = lexicon if lexicon is not None else Lexicon.load()

    @cached_property
    def _pinyin(self):
        from pypinyin.converter import UltimateConverter
        from pypinyin.core import Pinyin

        return Pinyin(UltimateConverter(neutral_tone_with_five=True))

    @cached_property
    def _phrases(self):
        from pypinyin.constants import PHRASES_DICT

        return PHRASES_DICT

    @cached_property
    def _vocabulary(self) -> _Vocabulary:
        return _Vocabulary(self.lexicon.words, self.model.char2idx)

    @cached_property
    def _segment_readings(self) -> dict[str, list[str | None]]:
        return {}

    @cached_property
    def polyphones(self) -> frozenset[str]:
        """Characters read more than one way in real words: those pypinyin's phrase dictionary
        reads differently from word to word (六 in 六安), and those the model decides. Not every
        character with a rare dictionary reading (市 fú)."""
        return frozenset(c for c, found in phrase_readings().items() if len(found) > 1) | self.model.characters

    @cached_property
    def model(self):
        from .g2pm import PolyphoneModel

        return PolyphoneModel()

    def readings(self, text: str, names: Iterable[str] = ()) -> list[Reading]:
        """A Reading per character of `text`, in order; `names` are people the article names
        (their surnames get the surname reading)."""
        return self.read_many([text], names)[0]

    def read_many(self, texts: Iterable[str], names: Iterable[str] = ()) -> list[list[Reading]]:
        """Readings of many texts at once (the model runs batched: much faster than one by one)."""
        pieces: list[str] = []
        owners: list[tuple[int, int]] = []  # (text, offset of the piece in it)
        texts = list(texts)
        for number, text in enumerate(texts):
            for found in _SENTENCE.finditer(text):
                if found.group():
                    pieces.append(found.group())
                    owners.append((number, found.start()))
        model = self.model
        pieces_read = [self._segment(piece) for piece in pieces]
        positions = [[i for i, c in enumerate(piece) if model.knows(c)] for piece in pieces]
        decided = model.predict(pieces, positions)
        out: list[list[Reading]] = [[] for _ in texts]
        for piece, (first, words), where, choices, (owner, offset) in zip(
            pieces, pieces_read, positions, decided, owners, strict=True
        ):
            out[owner] += self._decide(piece, first, words, dict(zip(where, choices, strict=True)), offset)
        phrases = self._phrases
        people = [n for n in names if n]
        for text, made in zip(texts, out, strict=True):
            particles(text, made, phrases)
            suffixes(text, made)
            preposition(text, made)
            modals(text, made)
            adjectives(text, made)
            self._apply_lexicon(text, made, people)
        return out

    def _segment(self, piece: str) -> tuple[list[str | None], list[tuple[int, int] | None]]:
        """pypinyin's reading of each character of a sentence, and the phrase-dictionary word
        each is in (pypinyin's greedy segmentation)."""
        memo = self._segment_readings
        if len(memo) > 500_000:
            memo.clear()
        first: list[str | None] = []
        segments = self._pinyin.seg(piece)
        for segment in segments:
            said = memo.get(segment)
            if said is None:  # pypinyin reads each segment on its own: read each one once
                said = memo[segment] = self._read_segment(segment)
            first += said
        words: list[tuple[int, int] | None] = [None] * len(piece)  # dictionary words only
        at = 0
        for segment in segments:
            if len(segment) > 1 and segment in self._phrases:
                words[at : at + len(segment)] = [(at, at + len(segment))] * len(segment)
            at += len(segment)
        return first, words

    def _decide(self, piece: str, first, words, chosen: dict[int, tuple[str, float]], offset: int) -> list[Reading]:
        """Each character's Reading: the phrase dictionary's, the model's or CC-CEDICT's (see the
        constants above), with the word it is in (offset: the sentence's place in its text)."""
        made, polyphones = [], self.polyphones
        for i, char in enumerate(piece):
            plain = first[i] if WANTS_READING.match(char) else None
            span = words[i]
            word = (offset + span[0], offset + span[1]) if span else (offset + i, offset + i + 1)
            if i not in chosen:
                made.append(Reading(char, plain, char in polyphones, "phrase" if span else "single", plain, word))
                continue
            pinyin, confidence = chosen[i]
            if span and pinyin != plain and _segmented(piece, span[0], span[1], self._vocabulary) == CUT:
                keep = confidence < OVERRULE_PHRASE or char in MODEL_BIASED  # the best segmentation has no such word
            else:
                keep = bool(span) and (confidence < OVERRULE_PHRASE or char in PHRASE_FIRST or span[0] == i)
                if keep and pinyin != plain:  # the dictionary stands against the model only where CC-CEDICT agrees
                    keep = corroborated(piece[span[0] : span[1]], i - span[0], plain)
            listed = cedict_reading(piece, i) if not span and confidence < CEDICT_BELOW else None
            if listed and listed != pinyin:
                made.append(Reading(char, listed, True, "cedict", plain, word))
            elif keep:
                made.append(Reading(char, plain, True, "phrase", plain, word))
            else:
                made.append(Reading(char, pinyin, True, "model", plain, word))
        return made

    def _read_segment(self, segment: str) -> list[str | None]:
        """pypinyin's readings of one segment of its segmentation, None for a character without
        one: pypinyin itself fails on a Han character it has no reading for (㘃, 𠮷), so such a
        segment is read character by character."""
        from pypinyin import Style
        from pypinyin.constants import PINYIN_DICT, RE_HANS

        if segment in self._phrases or all(PINYIN_DICT.get(ord(c)) or not RE_HANS.match(c) for c in segment):
            said = self._pinyin.lazy_pinyin([segment], style=Style.TONE3, errors=_no_reading)
            if len(said) == len(segment):
                return [p or None for p in said]
        return [self._read_character(c) for c in segment]

    def _read_character(self, char: str) -> str | None:
        """The reading of one character, or of the unified ideograph a compatibility ideograph
        stands for (豈 U+F900 is 豈); None where pypinyin has none."""
        from pypinyin import Style
        from pypinyin.constants import PINYIN_DICT

        for form in (char, unified(char)):
            if len(form) == 1 and PINYIN_DICT.get(ord(form)):
                return self._pinyin.lazy_pinyin([form], style=Style.TONE3, errors=_no_reading)[0] or None
        return None

    def _apply_lexicon(self, text: str, found: list[Reading], names: list[str]) -> None:
        lexicon = self.lexicon
        # not where the sentence's own words cut across it (行长 in 执行｜长期, 会计 in 我会｜计算)
        vocabulary = self._vocabulary
        for at, word, entry in lexicon.matches(text, lambda start, end: _segmented(text, start, end, vocabulary) == WHOLE):
            span = (at, at + len(word))
            for k, syllable in enumerate(entry.reading):
                old = found[at + k]
                found[at + k] = Reading(word[k], syllable, old.polyphone, "lexicon", old.plain, span, entry.kind)
        starts = {start for name in names if lexicon.surname(name) for start in _occurrences(name, text)}
        starts.update(surname_positions(text, lexicon.surnames, self._phrases))
        for start in sorted(starts):
            surname = lexicon.surname(text[start : start + 3])
            if surname is None:
                continue
            for k, syllable in enumerate(lexicon.surnames[surname]):
                old = found[start + k]
                found[start + k] = Reading(surname[k], syllable, old.polyphone, "surname", old.plain, (start, start + 1), "name")

    def tone3_lines(self, text: str, names: Iterable[str] = ()) -> list[str]:
        """One line per input line: the TONE3 readings of its Han characters, space-separated."""
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return [tone3(line) for line in self.read_many(lines, names)]


def _no_reading(chars: str) -> list[None]:
    return [None] * len(chars)


def tone3(line: list[Reading]) -> str:
    """The TONE3 readings of a line's Han characters, space-separated; a character without a
    reading stands as it is (wo3 㘃 ni3)."""
    return " ".join(r.pinyin or r.char for r in line if r.pinyin or WANTS_READING.match(r.char))


def unread(lines: Iterable[list[Reading]]) -> dict[str, list[int]]:
    """Each character that wants a reading and has none (㘃, 𠮷, a private-use 造字), with the
    lines (1-based) it stands on, in the order first met."""
    found: dict[str, list[int]] = {}
    for number, line in enumerate(lines, 1):
        for r in line:
            if r.pinyin is None and WANTS_READING.match(r.char):
                seen = found.setdefault(r.char, [])
                if not seen or seen[-1] != number:
                    seen.append(number)
    return found


def has_reading(char: str) -> bool:
    """Whether pypinyin reads the character (or the unified ideograph it stands for)."""
    from pypinyin.constants import PINYIN_DICT

    return any(len(form) == 1 and PINYIN_DICT.get(ord(form)) for form in (char, unified(char)))


# Words that introduce a person's name in running text: bylines (记者 单晓明) and titles (校长查明辉).
ROLES = (
    "记者|通讯员|实习生|编辑|摄影|摄|文/图|文／图|作者|主持人|播音员|"
    "校长|院长|所长|局长|处长|科长|部长|市长|县长|区长|乡长|镇长|村长|省长|厅长|书记|主任|委员|"
    "经理|董事长|总裁|教授|老师|医生|护士|律师|法官|检察官|警官|民警|队长|组长|站长|馆长|会长|主席|"
    "先生|女士|教练"
)
# Characters that follow 曾/单/… as words of the sentence rather than as part of a name.
NOT_NAME = frozenset("在多经是到于对向将也就又还都把被给从为了过着的得地要会能可与和及或而且不没未已再很更最这那有说等")
_ROLE_NAME = re.compile(rf"(?:{ROLES})[ \u3000:：]*(?=[\u4e00-\u9fff]{{2}})")


def surname_positions(text: str, surnames: dict[str, list[str]], phrases) -> list[int]:
    """Where a name with a lexicon surname starts right after a role word (记者单晓明, 校长查明辉).

    Not where the next character is a function word (记者曾在) or makes a dictionary word with
    the surname (记者查看, 局长解释, 作者单位), unless a three-character name is followed by a
    verb of saying or a colon (校长查明辉说)."""
    found = []
    for match in _ROLE_NAME.finditer(text):
        at = match.end()
        for size in (2, 1):
            surname = text[at : at + size]
            if surname not in surnames:
                continue
            rest = text[at + size : at + size + 2]
            if not rest or rest[0] in NOT_NAME:
                break
            plain = not any(surname + rest[:n] in phrases for n in (1, 2))
            named = len(rest) == 2 and _HAN_PAIR.match(rest[1]) and not set(rest) & (SPEECH | NOT_NAME)
            if plain or (named and _NAME_END.match(text, at + size + 2)):
                found.append(at)
            break
    return found


SPEECH = frozenset("说道称讲问答指表示介告认透坦")
# What plainly follows a name: a verb of saying, or a colon (an interview's speaker).
_NAME_END = re.compile(r"说|表示|介绍|告诉|认为|指出|坦言|透露|称|[：:]")


def _occurrences(name: str, text: str) -> list[int]:
    """Where a name stands in the text: not where its first character ends a word with the one
    before it (曾庆 in 不曾庆祝)."""
    found = [m.start() for m in re.finditer(re.escape(name), text)]
    return [at for at in found if at == 0 or not _HAN_PAIR.match(text[at - 1]) or text[at - 1 : at + 1] not in words()]


class _Vocabulary:
    """Words for segmenting: pypinyin's and CC-CEDICT's (`words()`, loaded on first use) and a
    lexicon's."""

    def __init__(self, lexicon_words, ranks: dict[str, int]):
        self.lexicon_words = lexicon_words
        self.ranks = ranks  # characters by frequency, commonest first

    def rarity(self, char: str) -> float:
        """How seldom a character is a word on its own: the log of its frequency rank (Zipf)."""
        return math.log(self.ranks.get(char, len(self.ranks)) + 1)

    def __contains__(self, word: str) -> bool:
        return word in self.lexicon_words or word in words()


LONGEST_WORD = 6  # the longest word the segmentation looks for (CC-CEDICT's idioms are 4)


WHOLE, CUT = "whole", "cut"


def _segmented(text: str, start: int, end: int, vocabulary) -> str:
    """Whether the clause's best segmentation keeps text[start:end] WHOLE (no word across its
    edges; a word holding all of it does not count) or CUT (a word across an edge).

    The best segmentation of the clause (its run of Han characters) has the fewest words, then
    the fewest single characters, then single characters that are more often words on their
    own (commoner characters: 会, 了, 为, 在 more than 算, 夫, 解, 空), as MMSEG chooses: 他是会计
    is 他｜是｜会计, 执行长期 is 执行｜长期 (行长 CUT), 我会计算 is 我｜会｜计算 (会计 CUT), 张大夫
    is 张｜大夫, 在校园空地上 is 在｜校园｜空地｜上."""
    if not _overlapped(text, start, end, vocabulary):
        return WHOLE  # no word of the vocabulary overlaps an edge: nothing to compare
    first = start
    while first > max(0, start - 40) and HAN.match(text[first - 1]):
        first -= 1
    last = end
    while last < min(len(text), end + 40) and HAN.match(text[last]):
        last += 1
    cuts = _best_cuts(text[first:last], vocabulary)
    start, end = start - first, end - first
    return CUT if any(a < start < b < end or start < a < end < b for a, b in zip(cuts, cuts[1:], strict=False)) else WHOLE


def _best_cuts(clause: str, vocabulary) -> list[int]:
    """The word boundaries (0 and len included) of the best segmentation (see `_segmented`)."""
    best: list[tuple[tuple[int, int, float], int]] = [((0, 0, 0.0), 0)]  # cost to here, where the last word starts
    for end in range(1, len(clause) + 1):
        options = []
        for size in range(1, min(LONGEST_WORD, end) + 1):
            if size == 1 or clause[end - size : end] in vocabulary:
                (words, singles, rarity), _ = best[end - size]
                single = size == 1
                options.append(
                    ((words + 1, singles + single, rarity + (vocabulary.rarity(clause[end - 1]) if single else 0.0)), end - size)
                )
        best.append(min(options))
    cuts, at = [len(clause)], len(clause)
    while at:
        at = best[at][1]
        cuts.append(at)
    return cuts[::-1]


def _overlapped(text: str, start: int, end: int, vocabulary) -> bool:
    """Whether a word of the vocabulary overlaps text[start:end] across one of its edges."""
    for edge in (start, end):
        for a in range(max(0, edge - LONGEST_WORD + 1), edge):
            for b in range(edge + 1, min(len(text), a + LONGEST_WORD) + 1):
                if (a < start < b < end or start < a < end < b) and text[a:b] in vocabulary:
                    return True
    return False


@lru_cache(maxsize=1)
def phrase_readings() -> dict[str, set[str]]:
    """Character → the readings (tone marks) pypinyin's phrase dictionary gives it in words."""
    from pypinyin.constants import PHRASES_DICT

    seen: dict[str, set[str]] = {}
    for word, readings in PHRASES_DICT.items():
        for char, reading in zip(word, readings, strict=False):
            seen.setdefault(char, set()).add(reading[0])
    return seen


@lru_cache(maxsize=1)
def words() -> frozenset[str]:
    """Chinese words: pypinyin's phrase dictionary (words with polyphones) and CC-CEDICT's words
    (from pypinyin-dict). For telling a name from a word, and whether a substitute makes one."""
    from pypinyin.constants import PHRASES_DICT
    from pypinyin_dict.phrase_pinyin_data import cc_cedict

    return frozenset(PHRASES_DICT) | frozenset(cc_cedict.phrases_dict)


@lru_cache(maxsize=65536)
def corroborated(word: str, at: int, reading: str | None) -> bool:
    """Whether CC-CEDICT lists the word with this reading (among others) of its character at
    `at`: a second dictionary, made apart from pypinyin's, agrees."""
    from pypinyin.contrib.tone_convert import to_tone3
    from pypinyin_dict.phrase_pinyin_data import cc_cedict

    listed = cc_cedict.phrases_dict.get(word)
    return bool(listed) and any(to_tone3(r, neutral_tone_with_five=True).replace("ü", "v") == reading for r in listed[at])


def cedict_reading(text: str, at: int) -> str | None:
    """The reading of text[at] in the longest CC-CEDICT word around it (leftmost of equals)."""
    from pypinyin.contrib.tone_convert import to_tone3
    from pypinyin_dict.phrase_pinyin_data import cc_cedict

    found = None
    for a in range(max(0, at - 3), at + 1):
        for b in range(max(at + 1, a + 2), min(len(text), a + 4) + 1):
            word = text[a:b]
            if word in cc_cedict.phrases_dict and (found is None or b - a > found[1] - found[0]):
                found = (a, b, word)
    if found is None:
        return None
    return to_tone3(cc_cedict.phrases_dict[found[2]][at - found[0]][0], neutral_tone_with_five=True).replace("ü", "v")


# 地 and 得 as structural particles, which the model (trained on text where 地 is mostly dì and
# 得 mostly dé) nearly always misses: 慢慢地走, 高兴地说 (de); 说得对, 跑得很快 (de); 还得去 (děi).
MEASURE = frozenset("的之这那此该本各每某块片亩处个头整满遍大小")
DEI = frozenset("还就总也都又可才只你我他她它们咱")
# What follows 得 as the particle: a degree word or a one-character adjective of manner or result.
COMPLEMENT = frozenset(
    "很非更太十特别相越真挺极格比这那如多少好快慢早晚高低大小远近满紧乱透对错美亮深强稳准实足重轻长短宽响热冷干净红火欢"
    "开细清明漂精及顺有不津井一通"
)
# Not the particle: 得 as the verb dé (得了冠军, 得出结论).
DE_VERB = frozenset("了过出到以知益分奖主失罪逞当体力")
_PARTICLE = re.compile("[地得]")
_HAN_PAIR = re.compile(r"[\u4e00-\u9fff]")


# 子 after these is the full syllable zǐ (男子, 电子, 之子, 三子), not the noun suffix; nor
# where it starts a word with what follows (子女, 子公司).
ZI3_BEFORE = frozenset(
    "之其男女电原分因太王孔孟老庄君天弟长次独诸才学游赤光质中粒离量介夫臣父母妻嫡庶世公虎一二三四五六七八九十两百千万数"
)
ZI3_AFTER = frozenset("女午弟孙宫时夜民公集囊弹目嗣爵")
_SUFFIX = re.compile("(?<=[\u4e00-\u9fff])子")


def suffixes(text: str, found: list[Reading]) -> None:
    """子 as the noun suffix (班子, 裙子: zi, neutral) where pypinyin reads it so and the model,
    trained mostly on 男子, 电子, 之子, says zǐ."""
    for match in _SUFFIX.finditer(text):
        at = match.start()
        old = found[at]
        if old.plain != "zi5" or old.pinyin == "zi5" or old.source in ("lexicon", "surname"):
            continue
        if text[at - 1] in ZI3_BEFORE or text[at + 1 : at + 2] in ZI3_AFTER:
            continue
        found[at] = Reading("子", "zi5", old.polyphone, "grammar", old.plain, old.word)


# 为 starting a clause is the preposition wèi (为群众办实事; 网点，为老年人提供服务), as after
# adverbs of manner (免费为老人理发): a copula (此地原为…, 均为…) needs a subject before it. The
# model, trained on text full of copulas, reads them all wéi.
WEI4_AFTER = re.compile(
    r"(?:积极|主动|专门|免费|努力|共同|继续|始终|一直|真心|全力|尽力|合力|携手|悉心|热心|无偿|义务|集中|重点|优先|专程|持续|切实|用心)$"
)
_WEI = re.compile("为")
_CLAUSE_MARK = re.compile(r"[，。！？；：、,.!?;:（）()“”‘’《》\s]")


def preposition(text: str, found: list[Reading]) -> None:
    """为 as the preposition wèi where it starts a clause or follows an adverb of manner."""
    for match in _WEI.finditer(text):
        at = match.start()
        old = found[at]
        if old.pinyin != "wei2" or old.source != "model" or old.word[1] - old.word[0] > 1:
            continue
        if at == 0 or _CLAUSE_MARK.match(text[at - 1]) or WEI4_AFTER.search(text, max(0, at - 2), at):
            found[at] = Reading("为", "wei4", old.polyphone, "grammar", old.plain, old.word)


# Standing alone before another character, 应 is the modal yīng (市民应配合, 双方应做好) and 更
# the adverb gèng (更应, 更好): the verbs yìng and gēng come in words (应对, 更新) or end a
# clause (民有所呼、我有所应).
MODALS = {"应": "ying1", "更": "geng4"}
_MODAL = re.compile("[应更](?=[\u4e00-\u9fff])")


def modals(text: str, found: list[Reading]) -> None:
    """应 and 更 standing alone before a verb or adjective (see MODALS)."""
    for match in _MODAL.finditer(text):
        at = match.start()
        old = found[at]
        reading = MODALS[match.group()]
        if old.pinyin == reading or old.source != "model" or old.word[1] - old.word[0] > 1:
            continue
        found[at] = Reading(match.group(), reading, old.polyphone, "grammar", old.plain, old.word)


# After a degree adverb (很长, 太重, 最少, 越来越难, 特别长) a polyphone is the adjective: 长 cháng,
# not the verb zhǎng (长大); 重 zhòng, not chóng (重复); 好 hǎo, not hào (好学) … The model,
# reading 长 after 很 by what follows, says zhǎng where a clause ends (长得很长).
ADJECTIVES = {
    "长": "chang2",
    "重": "zhong4",
    "好": "hao3",
    "少": "shao3",
    "难": "nan2",
    "强": "qiang2",
    "差": "cha4",
    "累": "lei4",
    "薄": "bao2",
    "空": "kong1",
    "干": "gan1",
}
DEGREE = (
    "很|太|最|更|挺|较|蛮|极|越|愈|超|非常|特别|十分|相当|比较|格外|更加|越发|尤其|过于|如此|这么|那么|多么|"
    "这样|那样|有点|有些|稍微|略微|不太|不够|好"
)
_ADJECTIVE = re.compile(rf"(?:{DEGREE})([{''.join(ADJECTIVES)}])")


def adjectives(text: str, found: list[Reading]) -> None:
    """A polyphone after a degree adverb, standing alone, is read as the adjective (see ADJECTIVES)."""
    for match in _ADJECTIVE.finditer(text):
        at, char = match.start(1), match.group(1)
        old = found[at]
        if old.pinyin == ADJECTIVES[char] or old.source in ("lexicon", "surname") or old.word[1] - old.word[0] > 1:
            continue
        found[at] = Reading(char, ADJECTIVES[char], old.polyphone, "grammar", old.plain, old.word)


def particles(text: str, found: list[Reading], phrases) -> None:
    """地 and 得 as particles where no dictionary word holds them (see the constants above)."""
    for match in _PARTICLE.finditer(text):
        at, char = match.start(), match.group()
        if at == 0 or at + 1 >= len(text) or found[at].source in ("lexicon", "surname"):
            continue
        before, after = text[at - 1], text[at + 1]
        if not (_HAN_PAIR.match(before) and _HAN_PAIR.match(after)):
            continue
        if any(text[max(0, at - k) : at + 1] in phrases for k in (1, 2)) or any(text[at : at + k + 1] in phrases for k in (1, 2)):
            continue  # 土地, 目的地, 地区, 值得, 得到: the dictionary word decides
        old = found[at]
        reading = None
        if char == "地":
            reduplicated = at >= 2 and text[at - 1] == text[at - 2]
            if reduplicated or before not in MEASURE:
                reading = "de5"
        elif before in DEI and after not in DE_VERB:
            reading = "dei3"
        elif after in COMPLEMENT and after not in DE_VERB:
            reading = "de5"
        if reading and reading != old.pinyin:
            found[at] = Reading(char, reading, old.polyphone, "grammar", old.plain, old.word)
