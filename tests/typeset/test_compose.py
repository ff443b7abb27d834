"""The line composer: clreq rules on chosen examples, and invariants over random text (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from publish.ingest.chars import HAN as HAN_CHAR
from publish.typeset import FontStack, Settings, compose
from publish.typeset.atoms import NO_END_GB, NO_START_BASIC, OPENING, SPACE, make_atoms
from publish.typeset.compose import _allowed, _Arrays, _measure, _optimal
from publish.typeset.display import compose_display

FONTS = FontStack()
SIZE = 9.0
EM = SIZE


def lines_of(text: str, chars: int = 13, indent: float = 2.0, **kw):
    return compose([(text, "body", SIZE)], Settings(measure=chars * EM, size=SIZE, indent=indent, **kw), FONTS)


def _atoms(text: str):
    return make_atoms([(text, "body", SIZE)], FONTS)


def visible(line) -> str:
    """The line's text as printed, without the hyphen drawn where a word was hyphenated."""
    return "".join(g.text for g in line.glyphs if g.text.strip() and not g.artifact)


def ink(glyph) -> tuple[float, float]:
    """Where a glyph's ink is: full-width marks only fill part of their box."""
    face = next(f for f in FONTS._faces.values() if f.name == glyph.font)
    metrics = face.punctuation.get(glyph.text)
    if metrics and len(glyph.text) == 1:
        _, low, high = metrics
        return glyph.x + low / 1000 * glyph.size, glyph.x + high / 1000 * glyph.size
    return glyph.x, glyph.x + glyph.width


def assert_composition(text: str, lines, measure: float) -> None:
    """The invariants the preflight check holds a PDF to, on composed lines directly."""
    assert "".join(visible(line) for line in lines) == "".join(text.split())
    for line in lines:
        shown = [g for g in line.glyphs if g.text.strip()]
        first, last = shown[0].text[0], shown[-1].text[-1]
        assert first not in NO_START_BASIC or line.first, f"line starts with {first}: {visible(line)}"
        assert last not in NO_END_GB or (line.last and len(shown) == 1), f"line ends with {last}: {visible(line)}"
        assert line.right <= measure + 0.1, f"overflow: {visible(line)}"
        if not line.last:
            assert abs(line.right - measure) <= 0.1, f"not flush ({line.right:.2f}): {visible(line)}"
            assert line.expansion <= 0.25 + 1e-9 or line.strained, f"expansion {line.expansion:.3f} em: {visible(line)}"
        for a, b in zip(shown, shown[1:], strict=False):
            assert ink(b)[0] >= ink(a)[1] - 0.1, f"overlap {a.text}{b.text}: {visible(line)}"


def test_every_line_flush_and_no_prohibited_edges():
    text = "入冬以来，青梧市各街道陆续开放了十二处暖心驿站，为环卫工人、快递小哥和外卖骑手提供热水、午休和手机充电等服务，市民也可以随时进去歇歇脚，驿站的工作人员说，这里每天要烧开几十壶热水。"
    lines = lines_of(text)
    assert_composition(text, lines, 13 * EM)
    assert lines[0].glyphs[0].x == 2 * EM  # 2-em indent
    assert all(line.glyphs[0].text not in "，。、；：？！”）》" for line in lines)


def test_line_end_mark_is_half_width_and_pairs_close_to_one_and_a_half():
    # 12 characters then ，: the comma ends the line at half width
    lines = lines_of("一二三四五六七八九十一二，三四五六七八九十一二三四五六七八", indent=0)
    assert visible(lines[0]).endswith("，")
    assert lines[0].right == pytest.approx(13 * EM)
    comma = lines[0].glyphs[-1]
    assert comma.x + comma.width / 2 == pytest.approx(13 * EM, abs=0.5)
    # 。” inside a line: the pair takes 1.5 em
    [line] = lines_of("他说：“好的。”大家都笑了", chars=20, indent=0)
    xs = {g.text: g.x for g in line.glyphs}
    assert xs["大"] - xs["。"] == pytest.approx(1.5 * EM, abs=0.01)


def test_opening_bracket_never_ends_a_line_nor_closing_starts_one():
    text = "这是一个测试段落它有（括号里的内容）和“引号里的话”以及《书名号》还有更多的文字来填满这一行" * 3
    for chars in range(8, 20):
        assert_composition(text, lines_of(text, chars=chars), chars * EM)


def test_han_latin_gap_and_unbroken_numbers():
    text = "据统计，共有3,000名代表参加，CN52-0017号文件和MU5735航班的数据已经全部核实完毕。"
    lines = lines_of(text)
    assert_composition(text, lines, 13 * EM)
    words = [g.text for line in lines for g in line.glyphs if len(g.text) > 1]
    assert {"3,000", "CN52-0017", "MU5735"} <= set(words)
    for line in lines:
        shown = [g for g in line.glyphs if g.text.strip()]
        for a, b in zip(shown, shown[1:], strict=False):
            if HAN_CHAR.match(a.text[-1]) and b.text[0].isascii() and b.text[0].isalnum():
                gap = b.x - (a.x + a.width)
                assert EM / 8 - 0.01 <= gap <= EM / 3 + 0.01


def test_no_single_character_last_line():
    # 13 per line; 27 characters would leave one alone on the third line
    text = "一二三四五六七八九十一二三四五六七八九十一二三四五六七。"
    lines = lines_of(text, indent=0)
    assert len(visible(lines[-1])) >= 3  # two characters and the full stop at least
    assert_composition(text, lines, 13 * EM)


def test_breaks_are_chosen_for_the_whole_paragraph():
    """A greedy fill would leave a loose line; the paragraph-wide choice spreads the slack."""
    text = "第一句话说完了。第二句话也说完了。第三句是一个比较长的句子，它后面跟着《一本书》和“一段引语”。"
    lines = lines_of(text, chars=11, indent=0)
    assert_composition(text, lines, 11 * EM)
    assert not any(line.strained for line in lines)


def test_headlines_break_between_phrases_with_balanced_lines():
    lines = compose_display("稳就业 惠民生 办好家门口的招聘会", "headline", 18, 10 * 18, FONTS)
    assert [visible(line) for line in lines] == ["稳就业惠民生", "办好家门口的招聘会"]
    lines = compose_display("擦亮城市名片 激活夜间经济 留住八方来客", "headline", 18, 13 * 18, FONTS)
    assert [visible(line) for line in lines] == ["擦亮城市名片激活夜间经济", "留住八方来客"]
    widths = [line.right for line in compose_display("甲乙丙丁 戊己庚辛 壬癸子丑 寅卯辰巳", "headline", 10, 10 * 10, FONTS)]
    assert max(widths) - min(widths) <= 10.5  # balanced: no line a phrase longer than another


HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
PUNCT_AFTER = "，。、；：？！"


@st.composite
def paragraphs(draw) -> str:
    pieces = []
    for _ in range(draw(st.integers(3, 25))):
        kind = draw(
            st.sampled_from(
                ["han", "han", "han", "punct", "quote", "paren", "book", "dash", "dots", "digits", "latin", "decimal"]
            )
        )
        word = "".join(draw(st.lists(st.sampled_from(HAN), min_size=1, max_size=6)))
        if kind in ("digits", "latin", "decimal") and pieces and pieces[-1][-1].isascii():
            pieces.append(word[0])  # keep words apart: run together they grow wider than any column
        if kind == "han":
            pieces.append(word)
        elif kind == "punct":
            pieces.append(word + draw(st.sampled_from(PUNCT_AFTER)))
        elif kind == "quote":
            pieces.append(f"“{word}”")
        elif kind == "paren":
            pieces.append(f"（{word}）")
        elif kind == "book":
            pieces.append(f"《{word}》")
        elif kind == "dash":
            pieces.append(word + "——")
        elif kind == "dots":
            pieces.append(word + "……")
        elif kind == "digits":
            pieces.append(str(draw(st.integers(0, 9999))))
        elif kind == "latin":
            pieces.append(draw(st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=5)))
        else:
            pieces.append(f"{draw(st.integers(0, 99))}.{draw(st.integers(0, 9))}%")
    text = "".join(pieces)
    return word + text + "。" if text[0] in NO_START_BASIC else text + "。"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=paragraphs(), chars=st.integers(10, 22))
@example(text="AAAAAAAAAA“的”。", chars=10)  # the prohibitions outrank 孤字不成行
@example(text="AAAAAAAA“的”。", chars=10)
@example(text="的——AAAAA10。", chars=10)  # a word alone on the last line is no 孤字
def test_random_paragraphs_hold_the_invariants(text, chars):
    """Prohibitions, flush lines, no overflow or overlap, nothing lost — always; spacing within
    0.25 em unless the line is marked strained, which only a rule conflict can cause."""
    lines = lines_of(text, chars=chars)
    assert_composition(text, lines, chars * EM)
    for line in lines:
        if line.strained:
            # no break sequence could avoid it: the paragraph must be set without any cap
            capped = _optimal(_Arrays(_atoms(text)), _allowed(_atoms(text)), Settings(measure=chars * EM, size=SIZE), capped=True)
            assert capped is None


def test_opening_marks_set_half_width_at_line_start_keep_their_ink_inside():
    text = "开头的文字很多很多很多很多（括号开始在行首的情况）继续写下去直到结束为止。"
    for chars in range(8, 16):
        lines = lines_of(text, chars=chars, indent=0)
        for line in lines:
            first = next(g for g in line.glyphs if g.text.strip())
            if first.text in OPENING:
                assert ink(first)[0] >= -0.1


def test_web_addresses_break_at_their_punctuation_numbers_never():
    text = "详情请登录青梧发布网站www.qingwu-daily.example/notice/2026/winter.html查询，咨询电话0851-86627000，文号CN52-0017。"
    lines = lines_of(text)
    assert_composition(text, lines, 13 * EM)
    words = [g.text for line in lines for g in line.glyphs if len(g.text) > 1]
    assert "0851-86627000" in words and "CN52-0017" in words
    pieces = [visible(line) for line in lines]
    address = "www.qingwu-daily.example/notice/2026/winter.html"
    start = "".join(pieces).index(address)
    ends = [sum(len(p) for p in pieces[: k + 1]) for k in range(len(pieces) - 1)]
    inside = [end for end in ends if start < end < start + len(address)]
    assert inside  # wider than half the column: it breaks
    joined = "".join(pieces)
    assert all(joined[end - 1] in "/-." or joined[end] == "." for end in inside)  # after / - (or a dot), before a dot
    assert not any(g.artifact for line in lines for g in line.glyphs)  # no hyphen added in an address


def test_hanging_indent_after_a_bullet():
    text = "●报名方式：携带身份证到会展中心二号馆服务台登记，或在青梧人社公众号填写报名表，工作人员会在三个工作日内电话确认。"
    lines = lines_of(text, indent=0, hang=1.0)
    assert lines[0].glyphs[0].text == "●" and lines[0].glyphs[0].x == 0
    assert all(line.glyphs[0].x >= EM - 0.01 for line in lines[1:])
    for line in lines[:-1]:
        assert abs(line.right - 13 * EM) <= 0.1


def test_strict_keeps_dashes_and_ellipses_from_starting_a_line():
    text = "他停了一下——又接着往前走，嘴里念叨着……谁也没听清楚他在说什么，大家只好跟着他一直走到了村口的老槐树下面。" * 2
    loose_starts, strict_starts = set(), set()
    for chars in range(8, 20):
        for strict, seen in ((False, loose_starts), (True, strict_starts)):
            lines = lines_of(text, chars=chars, strict=strict)
            assert_composition(text, lines, chars * EM)
            seen.update(visible(line)[0] for line in lines[1:])
    assert {"—", "…"} & loose_starts  # the default (clreq's GB level) allows them
    assert not {"—", "…"} & strict_starts


def reference_price(m, s: Settings, last: bool) -> float | None:
    """A line's demerits written plainly (what `_optimal` computes inline); None when a capped
    pass may not take it."""
    em = s.size
    slack = s.measure - m.natural
    if slack < -1e-6:
        need = -slack
        if need > m.shrink + 1e-6:
            return None
        badness = 0.0
        for room, weight in ((m.shrink1, 20), (m.shrink2, 60), (m.shrink3, 200), (m.shrink_track, 400)):
            use = min(need, room)
            badness += weight * use / em
            need -= use
        return (1 + badness) ** 2
    if last:
        return 1.0
    rest = slack - m.stretch
    if rest <= 1e-6:
        return (1 + 10 * slack / em) ** 2 if slack > 1e-6 else 1.0
    if m.gaps == 0:
        return None
    expansion = rest / m.gaps / em
    if expansion > 0.25 + 1e-6:
        return None
    return (1 + 100 * (expansion / 0.1) ** 3) ** 2


def reference_best(atoms, s: Settings) -> float:
    """Least total demerits by trying every start for every end (no pruning at all)."""
    arr, allowed = _Arrays(atoms), _allowed(atoms)
    n = len(atoms)
    content = arr.content
    best = [None] * (n + 1)
    best[0] = 0.0
    for j in range(1, n + 1):
        if not allowed[j]:
            continue
        for b in [0, *(k for k in range(1, j) if allowed[k])]:
            if best[b] is None:
                continue
            i = b + 1 if b and atoms[b].kind == SPACE else b
            if i >= j:
                continue
            if j == n and content[n] >= s.min_last_line and content[j] - content[i] < s.min_last_line:
                continue
            price = reference_price(_measure(arr, i, j, b == 0, s), s, last=j == n)
            if price is not None and j < n:
                price += atoms[j].penalty  # a word broken here
            if price is not None and (best[j] is None or best[b] + price < best[j]):
                best[j] = best[b] + price
    return best[n]


@st.composite
def mixed_paragraphs(draw) -> str:
    """Han runs between numbers, codes and Latin words: many gaps per em, as in business news."""
    words = ["2026", "3,000", "CN52-0017", "MU5735", "GDP", "APEC", "5G", "iPhone", "12.5%", "Wi-Fi", "100km"]
    pieces = []
    for _ in range(draw(st.integers(4, 14))):
        if draw(st.booleans()):
            pieces.append(draw(st.sampled_from(words)))
        else:
            pieces.append("".join(draw(st.lists(st.sampled_from(HAN), min_size=1, max_size=4))))
        if draw(st.integers(0, 4)) == 0:
            pieces.append("，")
    return "".join(pieces).lstrip("，") + "。"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(paragraphs(), mixed_paragraphs()), chars=st.integers(10, 16))
@example(text="到工法产年所，成这工国08511:2过和产不而iPhone我行WTO，。", chars=10)  # lines of many narrow gaps
@example(text="工了，2026，成这中，会我中下MU5735，Shanghai用，以得种法，法大到100km，Shanghai，0851经也同作发多分，。", chars=11)
@example(text="2026，2026，12.5%20262026GDP，。", chars=10)  # a break inside a word costs its penalty
def test_the_breaker_finds_the_least_demerits_of_all_break_sequences(text, chars):
    s = Settings(measure=chars * EM, size=SIZE)
    atoms = _atoms(text)
    expected = reference_best(atoms, s)
    ranges = _optimal(_Arrays(atoms), _allowed(atoms), s, capped=True)
    if expected is None:
        assert ranges is None
        return
    assert ranges is not None
    arr = _Arrays(atoms)
    total = sum(reference_price(_measure(arr, i, j, k == 0, s), s, last=k == len(ranges) - 1) for k, (i, j) in enumerate(ranges))
    total += sum(atoms[j].penalty for _, j in ranges[:-1])  # the words broken at line ends
    assert total == pytest.approx(expected, rel=1e-9)


def test_ragged_lines_break_before_an_address_not_inside_it():
    text = "详情见青梧发布网站www.qingwu.example"
    right = lines_of(text, chars=13, indent=0, align="right")
    assert [visible(line) for line in right] == ["详情见青梧发布网站", "www.qingwu.example"]
    assert all(line.right == pytest.approx(13 * EM) for line in right)  # each set flush right at its natural width
    assert all(line.expansion == 0 for line in right)


LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def assert_within_measure(text: str, lines, measure: float) -> None:
    """Nothing lost, no line past its measure, only the drawn hyphens added."""
    assert "".join(visible(line) for line in lines) == "".join(text.split())
    for line in lines:
        assert line.right <= measure + 0.1, f"overflow {line.right - measure:.2f} pt: {visible(line)}"
        assert all(g.x + g.width <= measure + 0.1 for g in line.glyphs if g.text.isascii()), visible(line)  # marks: blank cut
        assert all(g.text == "-" for g in line.glyphs if g.artifact)


def test_a_word_wider_than_the_column_is_hyphenated_not_overflowing():
    text = "青梧市民可以通过internationalization和supercalifragilisticexpialidocious两个词了解情况，也可以查询。"
    lines = lines_of(text, chars=11)
    assert_composition(text, lines, 11 * EM)
    hyphenated = [visible(line) for line in lines if line.glyphs[-1].artifact]
    assert hyphenated  # broken where English hyphenation allows, with a hyphen drawn
    for line in lines:
        if line.glyphs[-1].artifact:
            word = visible(line).split("过")[-1]
            assert word[-2:].isalpha()  # two letters at least before a hyphen
    assert not any(line.strained for line in lines)


def test_a_url_is_broken_at_its_punctuation_and_not_letter_spaced():
    text = "市民可拨打气象服务热线12121，或登录www.qingwu-daily.example“天气”栏目，查询最新预报信息。"
    lines = lines_of(text, chars=11)
    assert_composition(text, lines, 11 * EM)
    assert not any(g.artifact for line in lines for g in line.glyphs)  # no hyphen added in an address
    for line in lines:
        assert all(g.tracking <= 0.05 * EM for g in line.glyphs), visible(line)  # not spread letter by letter


def test_a_label_before_a_long_number_breaks_the_number_after_its_hyphen_not_spread_an_em():
    # whole, the number cannot share the label's line: the label was spread 1.1 em a gap
    text = "●报名电话：0851-86627000"
    lines = lines_of(text, chars=11, indent=0, hang=1.0)
    assert [visible(line) for line in lines] == ["●报名电话：0851-", "86627000"]
    assert lines[0].expansion < 0.26 and abs(lines[0].right - 11 * EM) < 0.1
    # a number never breaks between its digits unless it is wider than the line itself
    text = "上证指数以3407.76点跳空高开，2月份报收3462.31点。"
    words = [g.text for chars in range(8, 14) for line in lines_of(text, chars=chars) for g in line.glyphs]
    assert "3407.76" in words and "3462.31" in words


def test_short_latin_words_and_numbers_stay_whole_when_they_fit():
    text = "据统计，共有3,000名代表参加，CN52-0017号文件和MU5735航班以及Shanghai的数据已经全部核实完毕，internationalization一词不拆。"
    lines = lines_of(text, chars=13)
    words = [g.text for line in lines for g in line.glyphs if len(g.text) > 1]
    assert {"3,000", "CN52-0017", "MU5735", "Shanghai", "internationalization"} <= set(words)


@st.composite
def long_latin(draw) -> str:
    """Han text around one Latin word, number or address of any length."""
    kind = draw(st.sampled_from(["word", "number", "address", "mail", "hyphenated"]))
    if kind == "word":
        token = draw(st.text(LETTERS, min_size=1, max_size=80))
    elif kind == "number":
        token = draw(st.text("0123456789", min_size=1, max_size=60))
    elif kind == "address":
        parts = draw(st.lists(st.text(LETTERS + "0123456789", min_size=1, max_size=25), min_size=1, max_size=6))
        token = "https://www." + ".".join(parts) + draw(st.sampled_from(["", "/", "/a?b=1&c=2#top", "/path-to/page.html"]))
    elif kind == "mail":
        token = draw(st.text(LETTERS, min_size=1, max_size=30)) + "@" + draw(st.text(LETTERS, min_size=1, max_size=30)) + ".cn"
    else:
        token = "-".join(draw(st.lists(st.text(LETTERS, min_size=1, max_size=20), min_size=2, max_size=5)))
    before = "".join(draw(st.lists(st.sampled_from(HAN), max_size=12)))
    after = "".join(draw(st.lists(st.sampled_from(HAN), max_size=12)))
    return before + token + after + "。"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=long_latin(), chars=st.integers(4, 16), hang=st.sampled_from([0.0, 1.0]))
@example(text="字" + "W" * 40 + "。", chars=4, hang=1.0)
@example(text="登录www.qingwu-daily.example/notice/2026/winter.html。", chars=5, hang=0.0)
def test_any_latin_word_or_address_stays_within_a_narrow_column(text, chars, hang):
    lines = lines_of(text, chars=chars, indent=0 if hang else 2.0, hang=hang)
    assert_within_measure(text, lines, chars * EM)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=long_latin(), chars=st.integers(8, 40), size=st.sampled_from([9.0, 16.0, 28.0]))
def test_display_lines_with_any_latin_word_stay_within_the_measure(text, chars, size):
    lines = compose_display(text, "headline", size, chars * SIZE, FONTS)
    assert "".join(visible(line) for line in lines) == "".join(text.split())
    assert all(line.right <= chars * SIZE + 0.1 for line in lines), [visible(line) for line in lines]
