"""Tagged PDF (PDF/UA-1): the structure tree a screen reader reads the articles by.

The renderer draws every article line and photo inside a marked-content sequence with an
MCID (numbered from 0 on each page) and everything else inside /Artifact, and collects
`Marks`: what each MCID of each page is (its `Tag`), the article of each link annotation, and
the articles in reading order. `build_structure` turns them into the tree:

    StructTreeRoot → Document → Art (one per article, across its jump pages, titled with its
    headline) → P 引题, H1 主题, H2 副题, P bylines, Figure (/Alt: its caption) and Caption,
    H2 小标题 and P paragraphs, in the article's order; Link (OBJR) for its 下转 link

with the ParentTree, each page's /StructParents and /Tabs /S, each link's /StructParent and
/Contents, and an IDTree (each Art's /ID: titles repeat, 图片报道). Lines of one element (the
same article and part) are one element though they lie in several columns or on several pages;
its marked content is in drawing order, page by page. A run of its lines drawn one after
another is one marked-content sequence (one MCID), which keeps the file small.

The renderer (render/pdf.py) makes the `Marks` while drawing and hands them, with the bytes,
to the finishing pass (finish.py), which opens the file with pikepdf and calls `build_structure`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..layout.page import Tag

if TYPE_CHECKING:
    import pikepdf

ROLE_ORDER = {"Figure": 0, "Caption": 1}  # in a photo's part, the photo is read before its caption
LOOSE = Tag(-1, (3, 0), "P")  # text drawn outside every article (none in our layouts): one P under Document


@dataclass
class Marks:
    """What the renderer marked, for `build_structure`: per page, each MCID's Tag (the list's
    index is the MCID); per page, one (article or None, description) per link annotation in the
    order drawn; the articles in reading order (as the outline has them) and their titles."""

    pages: list[list[Tag]] = field(default_factory=list)
    links: list[list[tuple[int | None, str]]] = field(default_factory=list)
    order: list[int] = field(default_factory=list)
    titles: dict[int, str] = field(default_factory=dict)
    _open: tuple[Tag | None, int] | None = None  # the element whose line was drawn last, and where

    def new_page(self) -> None:
        self.pages.append([])
        self.links.append([])
        self._open = None

    def open(self, tag: Tag | None) -> str:
        """The operator opening the next marked-content sequence of this page, for `tag`."""
        mcids = self.pages[-1]
        mcids.append(tag or LOOSE)
        return f"/{(tag or LOOSE).role} <</MCID {len(mcids) - 1}>> BDC"

    def go_on(self, code: list[str], tag: Tag | None) -> bool:
        """Whether a line of `tag` may go on in the marked content the last line closed, as
        nothing was drawn since and it is the same element's: then its EMC is taken off. One
        sequence per run of an element's lines keeps the file and its ParentTree small."""
        if self._open is None or self._open[0] != tag or self._open[1] != len(code) or not code[-1].endswith(" EMC"):
            return False
        code[-1] = code[-1][:-4]
        return True

    def closed(self, code: list[str], tag: Tag | None) -> None:
        """A line of `tag` ended its marked content (with EMC) as the last entry of `code`."""
        self._open = (tag, len(code))

    def close_unused(self) -> None:
        """Forget the last MCID opened (its content was not drawn: a photo that failed)."""
        self.pages[-1].pop()


def build_structure(pdf: pikepdf.Pdf, marks: Marks) -> None:
    """Write the structure tree of `marks` into `pdf` (its pages are the ones marked, in order):
    StructTreeRoot, ParentTree, /StructParents and /Tabs on the pages, Link elements for links."""
    from pikepdf import Array, Dictionary, Name, String

    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root, K=Array()))
    root.K = Array([document])
    pages = list(pdf.pages)
    elements = _elements(marks)
    alts = {_key(tag): tag.alt for tags in marks.pages for tag in tags if tag.alt}
    arts = _arts(pdf, marks, elements, document)
    made: dict[tuple, pikepdf.Dictionary] = {}
    for key, places in elements.items():
        parent = arts.get(key[0], document)
        made[key] = _element(pdf, key, places, alts.get(key, ""), pages, parent)
    for key in sorted(elements, key=_reading):
        arts.get(key[0], document).K.append(made[key])
    parents = []
    for number, (page, tags) in enumerate(zip(pages, marks.pages, strict=True)):
        page.obj.StructParents = number
        page.obj.Tabs = Name.S
        parents += [number, pdf.make_indirect(Array([made[_key(tag)] for tag in tags]))]
    next_key = len(pages)
    for number, (page, links) in enumerate(zip(pages, marks.links, strict=True)):
        annots = [a for a in page.obj.get("/Annots", []) if a.get("/Subtype") == Name.Link]
        for annot, (article, text) in zip(annots, links, strict=True):
            link = _link(pdf, annot, page, text, arts.get(article, document) if article is not None else document)
            _insert_link(arts, article, link, made, marks.pages[number])
            annot.StructParent = next_key
            parents += [next_key, link]
            next_key += 1
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(parents)))
    names = []
    for article in sorted(arts):  # IDs in ascending order, as a name tree keeps them
        names += [String(art_id(article)), arts[article]]
    root.IDTree = pdf.make_indirect(Dictionary(Names=Array(names)))
    root.ParentTreeNextKey = next_key
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)


def art_id(article: int) -> str:
    """The element identifier of an article's Art: its index in the issue (titles repeat: 图片报道)."""
    return f"art{article:05d}"


def _key(tag: Tag) -> tuple:
    return (tag.article, tag.part, tag.role)


def _reading(key: tuple) -> tuple:
    return (key[1], ROLE_ORDER.get(key[2], 2))


def _elements(marks: Marks) -> dict[tuple, list[tuple[int, int]]]:
    """Each element (article, part, role) → its (page, MCID)s, in drawing order."""
    elements: dict[tuple, list[tuple[int, int]]] = {}
    for number, tags in enumerate(marks.pages):
        for mcid, tag in enumerate(tags):
            elements.setdefault(_key(tag), []).append((number, mcid))
    return elements


def _arts(pdf: pikepdf.Pdf, marks: Marks, elements: dict, document: pikepdf.Dictionary) -> dict[int, pikepdf.Dictionary]:
    """One Art per article, in reading order (the outline's; articles it lacks after, as first
    drawn), each under Document, titled with the article's headline."""
    from pikepdf import Array, Dictionary, Name, String

    drawn = [key[0] for key in elements if key[0] >= 0]
    arts = {}
    for article in dict.fromkeys([*marks.order, *drawn]):
        if article not in drawn:
            continue
        art = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Art, P=document, K=Array(), ID=String(art_id(article))))
        if marks.titles.get(article):
            art.T = String(marks.titles[article])
        document.K.append(art)
        arts[article] = art
    return arts


def _element(pdf: pikepdf.Pdf, key: tuple, places: list[tuple[int, int]], alt: str, pages: list, parent) -> pikepdf.Dictionary:
    """A structure element holding its marked content: MCIDs on its first page as numbers, on
    other pages as marked-content references."""
    from pikepdf import Array, Dictionary, Name, String

    role = key[2]
    first = places[0][0]
    kids = Array()
    for number, mcid in places:
        kids.append(mcid if number == first else Dictionary(Type=Name.MCR, Pg=pages[number].obj, MCID=mcid))
    element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + role), P=parent, Pg=pages[first].obj, K=kids))
    if alt or role == "Figure":
        element.Alt = String(alt)
    return element


def _link(pdf: pikepdf.Pdf, annot, page, text: str, parent) -> pikepdf.Dictionary:
    """A Link element for a link annotation (an object reference to it), described by `text`."""
    from pikepdf import Array, Dictionary, Name, String

    annot.Contents = String(text)
    objr = Dictionary(Type=Name.OBJR, Obj=annot, Pg=page.obj)
    return pdf.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name.Link, P=parent, Pg=page.obj, K=Array([objr]), Alt=String(text))
    )


def _insert_link(arts: dict, article: int | None, link, made: dict, tags: list[Tag]) -> None:
    """Put a Link in its article's Art after the element that drew the article's last line on
    the link's page (where its 下转 line stands); else at the end of its parent."""
    parent = arts.get(article) if article is not None else None
    if parent is None:
        link.P.K.append(link)
        return
    last = next((_key(tag) for tag in reversed(tags) if tag.article == article), None)
    kids = parent.K
    for index in range(len(kids)):
        if last is not None and kids[index].objgen == made[last].objgen:
            kids.insert(index + 1, link)
            return
    kids.append(link)
