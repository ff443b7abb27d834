"""The narration script: sections, requests, subtitle cues, and nothing of the text lost."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publish import load
from publish.article import Article, Block, BlockKind, Byline, Headline
from publish.speech.text.script import CUE_CHARS, REQUEST_CHARS, block_text, headline_parts, narration, review, split_sentences

from ..conftest import EXAMPLES, SEED, corpus_params, require_shared


def article_with(blocks: list[Block], **headline) -> Article:
    return Article(Headline(**{"title": "青梧新城开通夜间公交", **headline}), blocks=blocks)


def test_seed_has_six_sections(shared):
    (article,) = load(SEED)
    script = narration(article)
    assert [s.slug for s in script.sections] == ["headline", "lead", "part-1", "part-2", "part-3", "part-4"]
    headings = [b.text for b in article.blocks if b.kind is BlockKind.HEADING]
    assert [s.title for s in script.sections[2:]] == headings
    assert [s.stem for s in script.sections][:2] == ["01-headline", "02-lead"]
    # the headline block reads the title and the byline; the note comes last
    assert script.sections[0].text == article.title + "刘俊明"
    note = next(b for b in article.blocks if b.kind is BlockKind.NOTE)
    assert script.sections[-1].utterances[-1].text == note.text
    # each headed section starts with its heading
    for section in script.sections[2:]:
        assert section.utterances[0].text == section.title


def test_headline_block_reads_kicker_title_subtitle_and_byline():
    article = article_with(
        [Block(BlockKind.PARAGRAPH, "今晚起，三条线路通宵运行。")], kicker="方便市民出行", subtitle="首月免费乘坐"
    )
    article.bylines = [Byline("本报记者 周明远 通讯员 林小溪", [])]
    assert headline_parts(article) == ["方便市民出行", "青梧新城开通夜间公交", "首月免费乘坐", "本报记者 周明远 通讯员 林小溪"]
    script = narration(article)
    assert [s.slug for s in script.sections] == ["headline", "body"]
    assert [u.text for u in script.sections[0].utterances] == headline_parts(article)


def test_lead_blocks_and_jumps():
    blocks = [
        Block(BlockKind.LEAD, "夜间公交今起开通。"),
        Block(BlockKind.PARAGRAPH, "记者从市交通局获悉。"),
        Block(BlockKind.JUMP, "（下转第3版）"),
    ]
    script = narration(article_with(blocks))
    assert [(s.slug, s.title) for s in script.sections] == [
        ("headline", "青梧新城开通夜间公交"),
        ("lead", "导语"),
        ("body", "正文"),
    ]
    assert script.sections[-1].skipped == ["（下转第3版）"]
    assert "(skipped) （下转第3版）" in review(script)


def test_block_text_keeps_marker_speaker_and_credit():
    assert block_text(Block(BlockKind.LIST_ITEM, "报名时间：即日起", marker="●")) == "●报名时间：即日起"
    assert block_text(Block(BlockKind.QA, "记者：今年会增加班次吗？", speaker="记者")) == "记者：今年会增加班次吗？"
    assert block_text(Block(BlockKind.CAPTION, "市民乘坐首班夜间公交。", credit="本报记者 许晴 摄")) == (
        "市民乘坐首班夜间公交。（本报记者 许晴 摄）"
    )


def test_long_paragraph_is_cut_into_requests_of_whole_sentences():
    sentence = "青梧新城的夜间公交线路从今晚起正式运行，覆盖主要居住区和商业区。"
    text = sentence * 30
    script = narration(article_with([Block(BlockKind.PARAGRAPH, text)]))
    body = script.sections[1]
    assert len(body.utterances) > 1
    assert "".join(u.text for u in body.utterances) == text
    assert all(len(u.text) <= REQUEST_CHARS for u in body.utterances)
    assert all(u.text.endswith("。") for u in body.utterances)
    # pauses: between requests of a paragraph shorter than after the paragraph
    assert body.utterances[0].pause < body.utterances[-1].pause


def test_cues_cover_the_request_text():
    text = "为方便市民夜间出行，青梧新城公交集团在反复调研、征求意见、试运行之后，决定从今晚起开通三条夜间线路，首月免费。下月起票价两元。"
    (utterance,) = narration(article_with([Block(BlockKind.PARAGRAPH, text)])).sections[1].utterances
    assert "".join(c.text for c in utterance.cues) == text
    assert len(utterance.sentences) == 2
    assert all(len(c.text) <= CUE_CHARS for c in utterance.cues)


def test_unspeakable_text_is_not_sent_but_shown():
    script = narration(article_with([Block(BlockKind.PARAGRAPH, "★★★"), Block(BlockKind.PARAGRAPH, "正文一句。")]))
    body = script.sections[1]
    assert [u.speakable for u in body.utterances] == [False, True]
    assert "(not read: nothing to say) ★★★" in review(script)


@given(st.text(alphabet="青梧新城公交线路。！？，、；：“”（）…—AB12 ", max_size=800))
def test_split_sentences_joins_back_and_respects_the_limit(text):
    pieces = split_sentences(text, limit=60)
    assert "".join(pieces) == text
    assert all(pieces) and all(len(p) <= 60 for p in pieces)


def test_interview_speakers_are_read_once():
    (article,) = load(EXAMPLES / "qingwu-daily" / "2026-11-20-p02-1.txt")
    said = [u.text for u in narration(article).utterances]
    assert "记者：今年的改造和往年相比，有什么不一样？" in said
    assert not [s for s in said if "记者：记者" in s or "陈建国：陈建国" in s]


def test_examples_scripts_read_every_block():
    for article in load(EXAMPLES / "qingwu-daily" / "2026-11-20-p01-1.txt"):
        script = narration(article)
        said = "".join(u.text for u in script.utterances)
        for block in article.blocks:
            if block.kind is not BlockKind.JUMP:
                assert block.text in said


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_script_loses_no_text(path):
    require_shared()
    for article in load(path):
        script = narration(article)
        said = "".join(u.text for u in script.utterances)
        skipped = [t for s in script.sections for t in s.skipped] + script.skipped
        for block in article.blocks:
            assert block.text in said or block.text in skipped, block.text[:30]
        assert all(len(u.text) <= REQUEST_CHARS for u in script.utterances)
        assert script.sections[0].slug == "headline"


def test_a_section_with_nothing_to_say_makes_no_file():
    blocks = [
        Block(BlockKind.JUMP, "（上接第1版）"),
        Block(BlockKind.HEADING, "夜班车怎么坐"),
        Block(BlockKind.PARAGRAPH, "扫码上车。"),
    ]
    script = narration(article_with(blocks))
    assert [s.stem for s in script.sections] == ["01-headline", "02-part-1"]
    assert script.skipped == ["（上接第1版）"]


def test_cuts_fall_between_words_not_inside_numbers():
    text = "甲" * 238 + "2022年4月27日开会。"
    first, second = split_sentences(text)
    assert first == "甲" * 238 and second.startswith("2022年")
    latin = split_sentences("The quick brown fox. It jumps over the lazy dog again and again.", limit=30)
    assert latin[0] == "The quick brown fox." and all(not p.startswith(("he ", "ain")) for p in latin)


# --- issue 15: subtitle lines never split a word, a number, an address or a name ---------------


def _cue_texts(sentence: str) -> list[str]:
    (utterance,) = narration(article_with([Block(BlockKind.PARAGRAPH, sentence)])).sections[1].utterances
    assert "".join(c.text for c in utterance.cues) == sentence
    return [c.text for c in utterance.cues]


def test_no_cue_holds_only_punctuation():
    cues = _cue_texts("青" * CUE_CHARS + "。")
    assert all(any(ch.isalnum() for ch in cue) for cue in cues), cues
    # a sentence of marks only (the ； after a 。) goes with the sentence before it
    assert split_sentences("他来了。；她也来了。") == ["他来了。；", "她也来了。"]


def test_cues_keep_web_addresses_numbers_and_names_whole():
    address = "https://www.example.com/news/index.html?id=12345&from=paper"
    cues = _cue_texts(f"市民可以登录网站{address}查询更多的相关信息和报名方式。")
    assert address in cues
    cues = _cue_texts("本次活动共吸引了来自全市各区县的1,000名志愿者和200多家爱心企业参加了现场启动仪式。")
    assert any("1,000名" in cue for cue in cues), cues
    cues = _cue_texts("据介绍今天上午在青梧市图书馆报告厅举行的读书分享会上著名作家欧阳明远先生为读者们带来精彩讲座。")
    assert any("欧阳明远" in cue for cue in cues), cues
    cues = _cue_texts("他最喜欢的作家是哥伦比亚作家加西亚·马尔克斯和阿根廷作家豪尔赫·路易斯·博尔赫斯两位文学大师。")
    assert any("豪尔赫·路易斯·博尔赫斯" in cue for cue in cues), cues


def test_requests_are_not_cut_inside_an_address_or_a_number():
    assert split_sentences("网址https://example.org/a?x=1!b。下一句。") == ["网址https://example.org/a?x=1!b。", "下一句。"]


def test_compatibility_ideographs_and_variation_sequences_are_read_as_unified_but_shown_as_printed():
    printed = "\u845b\U000e0100洪与\uf9dc先生在\U0002f800江边。"  # 葛+VS17, 隆 (U+F9DC), 丽 (U+2F800)
    (utterance,) = narration(article_with([Block(BlockKind.PARAGRAPH, printed)])).sections[1].utterances
    assert utterance.spoken == "葛洪与隆先生在丽江边。"
    assert utterance.text == printed and "".join(c.text for c in utterance.cues) == printed
