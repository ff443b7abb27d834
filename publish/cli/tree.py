"""A readable tree of what was understood in an article (what `publish parse` prints)."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from rich.tree import Tree

from ..article import Article, Block, BlockKind
from ..ingest.photos import shown
from ..wording import plural

_LABELS = {
    BlockKind.LEAD: "lead 提要",
    BlockKind.EDITOR_NOTE: "editor's note 编者按",
    BlockKind.PARAGRAPH: "¶",
    BlockKind.LIST_ITEM: "item",
    BlockKind.CAPTION: "caption",
    BlockKind.CREDIT: "credit",
    BlockKind.QA: "Q&A",
    BlockKind.NOTE: "note",
    BlockKind.JUMP: "jump",
    BlockKind.BYLINE: "byline",
    BlockKind.SIGNATURE: "signature",
    BlockKind.VERSE: "verse",
}


def article_tree(article: Article, width: int = 30) -> Tree:
    """Headline, people, paper facts and the body's sections, each block shortened to `width`."""
    paper = article.paper
    facts = [paper.name or "(paper unknown)"]
    if paper.date:
        facts.append(paper.date.isoformat())
    if paper.page:
        facts.append(f"第{paper.page}版" + (f" {paper.page_name}" if paper.page_name else ""))
    if paper.cn:
        facts.append(paper.cn)
    if article.id:
        facts.append(f"id {article.id}")
    tree = Tree(Text(" · ".join(facts), style="bold"))
    head = article.headline
    for label, value in (
        ("kicker 引题", head.kicker),
        ("title 主题", head.title),
        ("subtitle 副题", head.subtitle),
        ("column 栏目", head.column),
    ):
        if value:
            tree.add(f"[cyan]{label}[/]  {escape(value)}")
    for byline in article.bylines:
        people = "、".join(f"{p.name}（{p.role}）" for p in byline.people) or "?"
        tree.add(f"[cyan]byline ({byline.position})[/]  {escape(people)}")
    if article.dateline:
        tree.add(f"[cyan]dateline 电头[/]  {escape(article.dateline.text)}")
    sections = article.sections
    chars = sum(len(b.text) for b in article.blocks)
    counts = f"{plural(len(article.blocks), 'block')} · {plural(len(sections), 'section')} · {plural(chars, 'character')}"
    body = tree.add(f"[cyan]body[/]  {counts}")
    for section in sections:
        node = body.add(f"[bold magenta]▍{escape(section.title)}[/]") if section.title else body
        for block in section.blocks:
            node.add(_block_line(block, width))
    for photo in article.photos:
        found = f"{photo.width}×{photo.height}" if photo.file else "[red]not found or refused[/]"
        tree.add(f"[cyan]photo[/]  {escape(shown(photo.src))} · {found}")
    if article.source:
        src = article.source
        lines = f" · lines {src.lines.first}–{src.lines.last}" if src.lines else ""
        record = f" · record {src.record}" if src.record else ""
        tree.add(f"[dim]source  {escape(src.file)} · {src.format} · {src.encoding}{record}{lines}[/]")
    return tree


def _block_line(block: Block, width: int) -> str:
    text = block.text if len(block.text) <= width else block.text[:width] + f"…（{len(block.text)}字）"
    label = _LABELS.get(block.kind, str(block.kind))
    extra = f" [dim]{escape(block.credit)}[/]" if block.credit else ""
    marker = f"{escape(block.marker)} " if block.marker else ""
    return f"[green]{label}[/] {marker}{escape(text)}{extra}"
