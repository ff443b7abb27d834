"""Body blocks: headings, leads, editor's notes, Q&A, captions, verse, notes and glued bylines."""

from __future__ import annotations

import publish
from publish import BlockKind


def read(text: str, fmt: str = "text") -> publish.Article:
    [article] = publish.loads(text, format=fmt)
    return article


def kinds(article: publish.Article) -> list[str]:
    return [b.kind.value for b in article.blocks]


def test_headings_are_short_unpunctuated_lines():
    article = read(
        "溪口镇的冬天\n\n本报记者 周明远\n\n入冬以来，溪口镇的菜农忙着搭大棚。\n\n"
        "大棚里的新变化\n\n今年的大棚用上了自动卷帘机，一个人就能管三亩地。\n\n"
        "销路怎么打开？\n\n合作社和超市签了订单，菜还没收就有了买家。\n"
    )
    assert kinds(article) == ["paragraph", "heading", "paragraph", "heading", "paragraph"]
    assert [s.title for s in article.sections] == [None, "大棚里的新变化", "销路怎么打开？"]


def test_a_short_line_ending_a_sentence_is_a_paragraph():
    article = read("标题在此\n\n第一段写得很长，说明了事情的经过和背景。\n\n他笑了。\n\n最后一段也写完了。\n")
    assert kinds(article) == ["paragraph", "paragraph", "paragraph"]


def test_editor_note_with_signature():
    article = read(
        "老街新生\n\n编者按：老街区改造关系千家万户。本报今起推出系列报道，敬请关注。\n\n——编 者\n\n南岭老街有不少老建筑。\n"
    )
    assert kinds(article) == ["editor_note", "editor_note", "paragraph"]
    assert [b.kind for b in article.lead] == [BlockKind.EDITOR_NOTE, BlockKind.EDITOR_NOTE]


def test_unlabelled_editor_note_above_signature():
    article = read("老街新生\n\n他们以前住在老街，如今搬回来开了小店。\n\n——编 者\n\n老吴的面馆开张了。\n")
    assert kinds(article) == ["editor_note", "editor_note", "paragraph"]


def test_marked_lead():
    article = read(
        "治堵不能只靠限行\n\n□ 陈亚楠\n\n■治堵是系统工程，要从规划、公交和停车三方面下功夫。\n\n早晚高峰，梧桐大道堵成一条长龙。\n"
    )
    assert kinds(article) == ["lead", "paragraph"]
    assert article.blocks[0].marker == "■"


def test_interview_turns():
    article = read(
        "访谈\n\n本报记者 单丽华\n\n记者：今年的改造有什么不一样？\n\n陈建国：最大的不同是先问需、再设计。\n\n"
        "记者：怎么避免走回头路？\n\n陈建国：关键在长效管理。\n"
    )
    assert kinds(article) == ["qa"] * 4
    assert [b.speaker for b in article.blocks] == ["记者", "陈建国", "记者", "陈建国"]


def test_labelled_paragraphs_are_not_an_interview():
    article = read(
        "居家防护要点\n\n勤洗手：饭前便后用流动水洗手。\n\n常通风：每天开窗两次，每次半小时。\n\n他说：“大家做好防护。”\n"
    )
    assert kinds(article) == ["paragraph", "paragraph", "paragraph"]


def test_photo_item_captions_take_the_credit():
    article = read("银杏满街\n\n连日来，银杏大道两侧的叶子渐次转黄。\n\n图为市民在银杏大道上拍照。\n\n本报记者 许晴 摄\n")
    assert kinds(article) == ["caption", "caption"]
    assert article.blocks[-1].credit == "本报记者 许晴 摄"
    assert [(p.name, p.role.value) for p in article.people] == [("许晴", "摄影")]


def test_list_items_and_numbered_headings():
    article = read(
        "招聘会开场\n\n本周六举办冬季招聘会。\n\n●时间：11月22日9:30—16:00\n\n●地点：会展中心2号馆\n\n"
        "一、进场须知\n\n（一）求职者请携带本人身份证及简历。\n"
    )
    assert kinds(article) == ["paragraph", "list_item", "list_item", "heading", "list_item"]
    assert article.blocks[1].marker == "●" and article.blocks[1].text == "时间：11月22日9:30—16:00"
    assert article.blocks[4].marker == "（一）"


def test_verse_lines():
    article = read(
        "读诗\n\n他念起一首小诗：\n\n“山那边的云，\n\n慢慢走过来，\n\n落在我的窗台，\n\n变成一场雨。”\n\n读完，大家都笑了。\n"
    )
    assert kinds(article) == ["paragraph", "verse", "verse", "verse", "verse", "paragraph"]


def test_notes_jumps_and_signatures():
    article = read(
        "标题\n\n正文第一段写完了。（下转第2版）\n\n——摘自《青梧日报》\n\n本版制图：许晴\n\n（作者单位：青梧师范学院）\n"
    )
    assert kinds(article) == ["paragraph", "jump", "signature", "note", "note"]
    assert article.blocks[1].text == "（下转第2版）"


def test_glued_byline_is_split_off():
    article = read("标题\n\n首段写完了。\n\n事情圆满解决，大家都很高兴。本报记者  陆玮鑫\n", fmt="text")
    assert kinds(article) == ["paragraph", "paragraph", "byline"]
    assert article.blocks[1].text == "事情圆满解决，大家都很高兴。"
    assert [p.name for p in article.people] == ["陆玮鑫"]


def test_dateline_people_join_the_bylines():
    article = read("标题\n\n本报讯（记者 周明远 通讯员 林小溪）昨天，全市冬季民生保障工作推进会召开。\n")
    assert article.dateline.text == "本报讯"
    assert [(p.name, p.role.value) for p in article.people] == [("周明远", "记者"), ("林小溪", "通讯员")]
    assert article.blocks[0].text.startswith("本报讯（记者 周明远 通讯员 林小溪）")
