"""What a laid-out newspaper page is: its lines at their places, rules, images, module boxes,
and the PDF's destinations, links and outline entries. The layout fills these in; the renderer
draws them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..typeset.compose import Line
from .grid import Grid


@dataclass(frozen=True)
class Colour:
    """A colour as the screen shows it (red, green, blue) and as the press prints it (cyan,
    magenta, yellow, black), each 0–1. `cmyk` None: separated by the press's profile when
    printed (greys in black ink alone)."""

    rgb: tuple[float, float, float]
    cmyk: tuple[float, float, float, float] | None = None

    @property
    def inks(self) -> int:
        """The inks it prints with on the press (given only as RGB: a grey in black alone, else all four)."""
        if self.cmyk is None:
            return 1 if max(self.rgb) - min(self.rgb) < 1e-6 else 4
        return sum(1 for value in self.cmyk if value > 0)


BLACK = Colour((0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 1.0))


ROLES = ("H1", "H2", "P", "Caption", "Figure")  # structure types of tagged PDF (PDF/UA-1)


@dataclass(frozen=True)
class Tag:
    """What a drawn line or photo is in its article's logical structure (tagged PDF): the
    article (its index in the issue), the element it belongs to, ordered within the article —
    (0, n) the n-th headline part, (1, i) photo i (Figure) or its caption, (2, b) body block b —
    and the element's role: H1 主题, H2 副题 and 小标题, P 引题, paragraph and byline, Caption,
    Figure (with `alt`, its caption, as the alternative text). Lines with the same article and
    part are one element, though they lie in several columns or on several pages."""

    article: int
    part: tuple[int, int]
    role: str
    alt: str = ""


@dataclass
class Drawn:
    """A composed line at its place on a page."""

    line: Line
    x: float
    baseline: float
    artifact: bool = False  # page furniture (masthead, running head, jump lines): not article text
    colour: Colour | None = None
    tag: Tag | None = None  # what it is in its article (None with artifact: furniture)


@dataclass(frozen=True)
class Rule:
    """A straight rule from (x0, y0) to (x1, y1), `width` pt thick."""

    x0: float
    y0: float
    x1: float
    y1: float
    width: float


@dataclass(frozen=True)
class PlacedImage:
    """An image file fitted into a box (x, y its lower left corner) and centred in it; a photo
    (`cover`) fills the box, cropped evenly (never distorted)."""

    file: str
    x: float
    y: float
    width: float
    height: float
    cover: bool = False
    article: int | None = None  # the article whose photo it is (None: page furniture, a logo)
    tag: Tag | None = None  # a photo's Figure element (None: a logo, an artifact)


@dataclass(frozen=True)
class Anchor:
    """A PDF destination: where the part of an article named `key` starts, `y` pt from the page bottom."""

    key: str
    y: float


@dataclass(frozen=True)
class Link:
    """A clickable box (from x0, y0 to x1, y1) that goes to the destination named `key`."""

    x0: float
    y0: float
    x1: float
    y1: float
    key: str
    article: int | None = None  # the article whose 下转 line it is (its Link element in a tagged PDF)

    @property
    def rect(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)


@dataclass(frozen=True)
class OutlineEntry:
    """An article's entry in the PDF outline, under its page: its title and its destination."""

    title: str
    key: str
    article: int | None = None  # the article it opens (the order of the Art elements in a tagged PDF)


@dataclass
class ModuleBox:
    """Where an article's module went on a page, and what kind of module it is."""

    article: int
    x: float
    top: float  # pt from the page bottom
    width: float
    height: float
    columns: int
    complete: bool
    continued: bool
    boxed: bool = False
    hole: int = 0  # the tallest blank in its text, grid rows: between paragraphs or at a column's short foot
    air: int = 0  # the tallest space opened round its headline (留白), grid rows
    kind: str = "article"  # article | digest (导读) | ear (报眼)
    weight: int = 0  # the article's rank on its page: 0 is the page's lead (头条)
    title_size: float = 0.0  # pt of its 主题 (0: none, a continuation or headless piece)
    head_box: tuple[float, float, float, float] | None = None  # x0, y0, x1, y1 of its 主题 lines' ink
    photos: list[tuple[float, float, float, float]] = field(default_factory=list)  # x, y, width, height
    captions: int = 0  # photos of it printed with a caption under them
    credits: int = 0  # … and with a credit
    jump_to: str | None = None  # 版次 its rest goes on at (下转), None when complete
    avoidable: bool = False  # cut although it would have fitted whole on this page


@dataclass
class Page:
    label: str  # 版次 as printed: "1", "2/3"
    name: str = ""  # 版名
    lines: list[Drawn] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    images: list[PlacedImage] = field(default_factory=list)
    modules: list[ModuleBox] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    outline: list[OutlineEntry] = field(default_factory=list)
    filled: float = 0.0  # share of the type area's cells under modules (M1, the module measure)
    content: float = 0.0  # … under their text and photos (space opened round headlines not counted)
    full: bool = False  # the page's content went on past it (its stacks were all used)
    top_rows: int = 0  # grid rows above its type area: the masthead's (and the row under it) on a front page


@dataclass
class Laid:
    """An issue's pages, laid out on one grid."""

    pages: list[Page]
    grid: Grid
    warnings: list[str] = field(default_factory=list)  # what the layout reports: photos printing at a low resolution


def box_rules(x0: float, y0: float, x1: float, y1: float, width: float) -> list[Rule]:
    """The four rules of a box with corners (x0, y0) and (x1, y1), drawn round from the first."""
    return [Rule(x0, y0, x1, y0, width), Rule(x1, y0, x1, y1, width), Rule(x1, y1, x0, y1, width), Rule(x0, y1, x0, y0, width)]
