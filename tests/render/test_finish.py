"""The finishing pass (render/finish.py) on the PDFs the examples make, in every standard: what
strict validators say of them, their metadata, output intents, boxes and outline, and that the
same input gives the same bytes."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageCms

import publish
from publish.config import PdfSettings
from publish.errors import ConfigError
from publish.pipeline import pdfs
from publish.render.finish import recount_outline, xmp_date
from publish.render.output import STANDARDS
from publish.render.srgb import srgb_profile
from tests.conftest import EXAMPLES, SHARED
from tests.validators import pdfcpu_validate, preflight, structure_faults

SHARED_ICC = SHARED / "icc" / "CGATS21_CRPC1.icc"


def press_icc() -> str | None:
    """The profile a press PDF is made with here: the bundled/system one, else the shared copy."""
    from publish.render.icc import press_profile

    try:
        press_profile()
        return None
    except ConfigError:
        if SHARED_ICC.is_file():
            return str(SHARED_ICC)
    pytest.skip("no press profile: neither bundled nor found on the system, nor in ../shared/icc")


def settings(standard: str, template: str = "broadsheet") -> PdfSettings:
    icc = press_icc() if standard == "press" else None
    return PdfSettings(template, previews=False, jobs=1, standard=standard, icc=icc)


@pytest.fixture(scope="module")
def articles():
    return publish.collect([EXAMPLES]).articles


class Made(dict):
    """standard → the example PDFs written in it (the issues' pages, and a galley), made when
    first asked for (a press PDF without a press profile skips only what needs it)."""

    def __init__(self, articles, folder: Path):
        super().__init__()
        self.articles, self.folder = articles, folder

    def __missing__(self, standard: str) -> list[Path]:
        files = []
        made = pdfs(self.articles, settings(standard)) + pdfs(self.articles, settings(standard, "galley"), "galley")
        for one in made:
            path = self.folder / f"{standard}-{one.key}.pdf"
            path.write_bytes(one.data)
            files.append(path)
        self[standard] = files
        return files


@pytest.fixture(scope="module")
def made(articles, tmp_path_factory):
    return Made(articles, tmp_path_factory.mktemp("standards"))


@pytest.mark.parametrize("standard", STANDARDS)
def test_pdfcpu_strict_passes_every_example_pdf(made, standard):
    for path in made[standard]:
        assert pdfcpu_validate(path) == "validation ok", path.name


@pytest.mark.parametrize("standard", STANDARDS)
def test_preflight_finds_no_file_structure_fault(made, standard):
    for path in made[standard]:
        assert structure_faults(path) == [], path.name


def test_the_archive_pdfs_pass_preflight_but_for_the_pdfa_part(made):
    """Preflight checks PDF/A-1b: on our PDF/A-2u files only its part/conformance complaint may remain."""
    for path in made["archive"]:
        faults = [f for f in preflight(path) if not f.startswith("7.11")]
        assert faults == [], path.name


@pytest.mark.parametrize("standard", STANDARDS)
def test_the_same_articles_give_the_same_bytes(articles, made, standard):
    again = pdfs(articles, settings(standard)) + pdfs(articles, settings(standard, "galley"), "galley")
    assert [one.data for one in again] == [path.read_bytes() for path in made[standard]]


def test_the_outline_counts_every_item(made):
    for path in made["plain"]:
        with pikepdf.open(path) as pdf:
            if "/Outlines" not in pdf.Root:
                continue
            items = _items(pdf.Root.Outlines)
            assert items > 0 and int(pdf.Root.Outlines.Count) == items, path.name


def _items(node) -> int:
    count, child = 0, node.get("/First")
    while child is not None:
        count += 1 + _items(child)
        child = child.get("/Next")
    return count


def test_recount_fixes_reportlabs_root_count():
    """reportlab counts an outline of 2 pages × 2 articles as 8 (the repro of print.md §0)."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for page in range(2):
        canvas.bookmarkPage(f"p{page}")
        canvas.addOutlineEntry(f"page {page}", f"p{page}", level=0)
        for article in range(2):
            canvas.addOutlineEntry(f"article {article}", f"p{page}", level=1)
        canvas.showPage()
    canvas.save()
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        wrong = int(pdf.Root.Outlines.Count)
        recount_outline(pdf)
        assert (wrong, int(pdf.Root.Outlines.Count)) == (8, 6)


PREFIXES = {
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://ns.adobe.com/pdf/1.3/": "pdf",
    "http://ns.adobe.com/xap/1.0/mm/": "xmpMM",
    "http://www.aiim.org/pdfa/ns/id/": "pdfaid",
    "http://www.npes.org/pdfx/ns/id/": "pdfxid",
    "http://www.aiim.org/pdfua/ns/id/": "pdfuaid",
}


def metadata(path: Path) -> dict[str, str]:
    """The XMP properties, `prefix:name` → text (a list's single item as text)."""
    found = {}
    with pikepdf.open(path) as pdf, pdf.open_metadata() as xmp:
        for key, value in xmp.items():
            uri, name = key[1:].split("}")
            found[f"{PREFIXES.get(uri, uri)}:{name}"] = value[0] if isinstance(value, list) and len(value) == 1 else str(value)
    return found


def test_every_pdf_has_a_modern_header_xmp_mirroring_its_info_and_an_id(made):
    for standard in STANDARDS:
        for path in made[standard]:
            with pikepdf.open(path) as pdf:
                assert pdf.pdf_version == ("1.6" if standard == "press" else "1.7")
                info = pdf.docinfo
                xmp = metadata(path)
                assert xmp["dc:title"] == str(info.Title) and xmp["pdf:Producer"] == str(info.Producer)
                assert xmp["xmp:CreateDate"] == "2000-01-01T00:00:00+00:00"
                assert xmp["xmpMM:DocumentID"].startswith("uuid:") and "/ID" in pdf.trailer
                assert info.Trapped == pikepdf.Name("/False")
                assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
                if "/StructTreeRoot" in pdf.Root:  # tagged (render/tags.py): said in the catalog and the XMP
                    assert pdf.Root.MarkInfo.Marked is True and xmp["pdfuaid:part"] == "1"
                else:
                    assert "/MarkInfo" not in pdf.Root and "pdfuaid:part" not in xmp


def test_archive_pdfs_claim_pdfa_2u_with_an_srgb_intent(made):
    for path in made["archive"]:
        xmp = metadata(path)
        assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("2", "U")
        with pikepdf.open(path) as pdf:
            (intent,) = pdf.Root.OutputIntents
            assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
            assert str(intent.OutputConditionIdentifier) == "sRGB IEC61966-2.1"


def test_press_pdfs_claim_pdfx_4_with_the_press_profile_and_trim_boxes(made):
    for path in made["press"]:
        xmp = metadata(path)
        assert xmp["pdfxid:GTS_PDFXVersion"] == "PDF/X-4" and xmp["pdf:Trapped"] == "False"
        with pikepdf.open(path) as pdf:
            assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4"
            (intent,) = pdf.Root.OutputIntents
            assert intent.S == "/GTS_PDFX" and intent.DestOutputProfile.N == 4
            profile = intent.DestOutputProfile.read_bytes()
            assert profile[16:20] == b"CMYK"
            for page in pdf.pages:
                boxes = [list(map(float, page.obj[key])) for key in ("/MediaBox", "/CropBox", "/TrimBox")]
                assert boxes[0] == boxes[1] == boxes[2] and "/Rotate" not in page.obj


def test_plain_pdfs_claim_no_pdfa_or_pdfx(made):
    for path in made["plain"]:
        xmp = metadata(path)
        assert not any(key.startswith(("pdfaid:", "pdfxid:")) for key in xmp)
        with pikepdf.open(path) as pdf:
            assert "/OutputIntents" not in pdf.Root


def test_links_are_flagged_print_as_pdfa_asks(made):
    for path in made["archive"]:
        with pikepdf.open(path) as pdf:
            flags = [int(a.F) for page in pdf.pages for a in page.obj.get("/Annots", [])]
            assert all(flag == 4 for flag in flags)


def test_the_srgb_profile_is_version_2_and_maps_srgb_to_itself():
    data = srgb_profile()
    assert data[8:12] == bytes([2, 0x10, 0, 0]) and data[36:40] == b"acsp" and len(data) == int.from_bytes(data[:4])
    profile = ImageCms.ImageCmsProfile(io.BytesIO(data))
    transform = ImageCms.buildTransform(profile, ImageCms.createProfile("sRGB"), "RGB", "RGB")
    for colour in [(200, 22, 29), (128, 128, 128), (0, 0, 0), (255, 255, 255)]:
        mapped = ImageCms.applyTransform(Image.new("RGB", (1, 1), colour), transform).getpixel((0, 0))
        assert all(abs(a - b) <= 1 for a, b in zip(mapped, colour, strict=True))


@pytest.mark.parametrize(
    ("pdf", "xmp"),
    [
        ("D:20000101000000+00'00'", "2000-01-01T00:00:00+00:00"),
        ("D:20261120083000Z", "2026-11-20T08:30:00Z"),
        ("D:2026", "2026-01-01T00:00:00"),
        ("D:20261120083000-05'30'", "2026-11-20T08:30:00-05:30"),
        ("not a date", ""),
    ],
)
def test_pdf_dates_as_xmp_writes_them(pdf, xmp):
    assert xmp_date(pdf) == xmp


def test_a_tagged_archive_declares_pdfuaid_as_pdfa_wants(tmp_path):
    """PDF/A knows no pdfuaid: its extension schema goes first, in a description of its own."""
    from reportlab.pdfgen.canvas import Canvas

    from publish.render.finish import _document_info, _metadata, finish
    from publish.render.output import Output

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.setTitle("一页")
    canvas.showPage()
    canvas.save()
    with pikepdf.open(io.BytesIO(finish(buffer.getvalue(), Output("archive")))) as pdf:
        _metadata(pdf, _document_info(pdf, Output("archive")), Output("archive"), True, "0" * 64)
        pdf.save(tmp_path / "tagged.pdf")
    assert metadata(tmp_path / "tagged.pdf")["pdfuaid:part"] == "1"
    assert [fault for fault in preflight(tmp_path / "tagged.pdf") if not fault.startswith("7.11")] == []


def test_characters_xml_cannot_hold_leave_info_and_xmp_alike(tmp_path):
    """A title with a control character or U+FFFE (from a hostile input): the XMP cannot hold
    them, so the info loses them too, and the two still say the same (PDF/A 6.6.2.3.1)."""
    from reportlab.pdfgen.canvas import Canvas

    from publish.render.finish import finish
    from publish.render.output import Output

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.setTitle("控制\x01报\ufffe & <日报>")
    canvas.setAuthor("记者\x1f甲")
    canvas.showPage()
    canvas.save()
    (tmp_path / "a.pdf").write_bytes(finish(buffer.getvalue(), Output("archive")))
    with pikepdf.open(tmp_path / "a.pdf") as pdf:
        assert str(pdf.docinfo.Title) == "控制报 & <日报>" and str(pdf.docinfo.Author) == "记者甲"
    xmp = metadata(tmp_path / "a.pdf")
    assert xmp["dc:title"] == "控制报 & <日报>" and xmp["pdfaid:part"] == "2"
    assert [fault for fault in preflight(tmp_path / "a.pdf") if not fault.startswith("7.11")] == []
