"""Photos in the PDF: every format fills its box (colours sampled from the rendered page against
the source's visible region), EXIF orientation, JPEG pass-through, ≤ 300 ppi, the same bytes
every run, and a missing or broken file leaves its box blank with one warning."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image, ImageCms

from publish.errors import PhotoWarning
from publish.layout.grid import Grid
from publish.layout.page import Laid, Page, PlacedImage
from publish.layout.photos import visible_region
from publish.render.pdf import DocInfo, render_pages

pdfium = pytest.importorskip("pypdfium2")
raw = pytest.importorskip("pypdfium2.raw")

PAGE = 300.0  # pt: a small square page, rendered at 1 px per pt
BOX = (50.0, 60.0, 200.0, 100.0)  # x, y, width, height: a 2:1 box, so a 4:3 photo loses its top and bottom
INSET = 8  # pt from the box's edges where colours are sampled (JPEG blurs right at an edge)


def samples(box) -> list[tuple[float, float]]:
    """Points near the box's four corners and at its centre, pt from its lower left."""
    w, h = box[2], box[3]
    return [(INSET, INSET), (w - INSET, INSET), (w / 2, h / 2), (INSET, h - INSET), (w - INSET, h - INSET)]


def gradient(width: int = 400, height: int = 300) -> Image.Image:
    """Red grows to the right, green downwards: every point's colour says where it is in the photo."""
    image = Image.new("RGB", (width, height))
    image.putdata([(255 * x // (width - 1), 255 * y // (height - 1), 128) for y in range(height) for x in range(width)])
    return image


def render(*images: PlacedImage, pages: int = 1, on_photo=None) -> bytes:
    laid = Laid([Page(str(n + 1), images=list(images)) for n in range(pages)], Grid(width=PAGE, height=PAGE))
    return render_pages(laid, DocInfo(), on_photo=on_photo)


def placed(path, box=BOX) -> PlacedImage:
    return PlacedImage(str(path), *box, cover=True, article=0)


def rendered(data: bytes, page: int = 0) -> Image.Image:
    return pdfium.PdfDocument(data)[page].render(scale=1).to_pil().convert("RGB")


def expected_colours(shown: Image.Image, box=BOX) -> list[tuple[int, ...]]:
    """The source's colours at the sample points, mapping the box onto the photo's visible region."""
    left, top, right, bottom = visible_region(shown.width, shown.height, box[2], box[3])
    found = []
    for bx, by in samples(box):
        sx = left + (right - left) * bx / box[2]
        sy = top + (bottom - top) * (1 - by / box[3])  # box y grows upwards, image rows downwards
        found.append(shown.convert("RGB").getpixel((min(int(sx), shown.width - 1), min(int(sy), shown.height - 1))))
    return found


def printed_colours(page: Image.Image, box=BOX) -> list[tuple[int, ...]]:
    return [page.getpixel((int(box[0] + bx), int(PAGE - box[1] - by))) for bx, by in samples(box)]


def assert_close(got, want, tolerance: int = 10) -> None:
    for g, w in zip(got, want, strict=True):
        assert max(abs(a - b) for a, b in zip(g, w, strict=True)) <= tolerance, (got, want)


def image_objects(data: bytes, page: int = 0) -> list:
    return list(pdfium.PdfDocument(data)[page].get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]))


FORMATS = {
    "jpeg": ("photo.jpg", {"quality": 95}),
    "progressive jpeg": ("photo.jpg", {"quality": 95, "progressive": True}),
    "png": ("photo.png", {}),
    "webp": ("photo.webp", {"quality": 95}),
    "lossless webp": ("photo.webp", {"lossless": True}),
    "tiff": ("photo.tif", {}),
}


@pytest.mark.parametrize("kind", FORMATS)
def test_each_format_fills_its_box_cropped_evenly(tmp_path, kind):
    name, options = FORMATS[kind]
    photo = gradient()
    photo.save(tmp_path / name, **options)
    page = rendered(render(placed(tmp_path / name)))
    assert_close(printed_colours(page), expected_colours(photo))
    x, y, w, h = BOX
    assert page.getpixel((int(x) - 2, int(PAGE - y - h / 2))) == (255, 255, 255)  # nothing outside the box:
    assert page.getpixel((int(x + w / 2), int(PAGE - y - h) - 2)) == (255, 255, 255)  # the crop is clipped


@pytest.mark.parametrize("mode", ["L", "I;16", "1", "P"])
def test_grey_bilevel_and_palette_files(tmp_path, mode):
    grey = gradient().convert("L")
    photo = {
        "L": grey,
        "I;16": Image.frombytes("I;16", grey.size, bytes(b for v in grey.tobytes() for b in (v, v))),  # each level × 257
        "1": grey.point(lambda v: 255 if v > 170 else 0).convert("1", dither=Image.Dither.NONE),  # no edge at a sample
        "P": gradient().quantize(64),
    }[mode]
    photo.save(tmp_path / "photo.png")
    shown = grey if mode == "I;16" else photo.convert("RGB")
    assert_close(printed_colours(rendered(render(placed(tmp_path / "photo.png")))), expected_colours(shown), 12)


def test_transparency_is_flattened_on_white(tmp_path):
    photo = gradient().convert("RGBA")
    half = Image.new("L", (photo.width // 2, photo.height), 255)
    alpha = Image.new("L", photo.size, 0)
    alpha.paste(half, (0, 0))  # the left half opaque, the right half transparent
    photo.putalpha(alpha)
    photo.save(tmp_path / "cutout.png")
    data = render(placed(tmp_path / "cutout.png"))
    page = rendered(data)
    got = printed_colours(page)
    want = expected_colours(gradient())
    assert_close([got[0], got[3]], [want[0], want[3]])  # left samples: the photo
    assert got[1] == got[4] == (255, 255, 255)  # right samples: the paper
    assert b"/SMask" not in data  # no soft mask: press standards forbid them


def test_cmyk_jpeg_prints_in_its_own_colours_not_inverted(tmp_path):
    gradient().convert("CMYK").save(tmp_path / "press.jpg", quality=95)  # Pillow writes Adobe (inverted) CMYK
    source = Image.open(tmp_path / "press.jpg")
    assert source.mode == "CMYK"
    want = expected_colours(source.convert("RGB"))
    for box in (BOX, (50.0, 60.0, 60.0, 30.0)):  # passed through, and encoded again (over 300 ppi)
        got = printed_colours(rendered(render(placed(tmp_path / "press.jpg", box))), box)
        want = expected_colours(source.convert("RGB"), box)
        # viewers convert CMYK through their own curves: near Pillow's colour, far from its negative (grey is its own)
        for g, w in zip(got, want, strict=True):
            near = sum(abs(a - b) for a, b in zip(g, w, strict=True))
            negative = sum(abs(a - (255 - b)) for a, b in zip(g, w, strict=True))
            assert (near < negative or w == want[2]) and max(abs(a - b) for a, b in zip(g, w, strict=True)) <= 70, (got, want)


# the file's stored pixels for each EXIF orientation, so that turning them as the tag says shows the photo
STORED = {
    1: lambda im: im,
    2: lambda im: im.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
    3: lambda im: im.transpose(Image.Transpose.ROTATE_180),
    4: lambda im: im.transpose(Image.Transpose.FLIP_TOP_BOTTOM),
    5: lambda im: im.transpose(Image.Transpose.TRANSPOSE),
    6: lambda im: im.transpose(Image.Transpose.ROTATE_90),  # shown turned 90° clockwise
    7: lambda im: im.transpose(Image.Transpose.TRANSVERSE),
    8: lambda im: im.transpose(Image.Transpose.ROTATE_270),
}


@pytest.mark.parametrize("orientation", sorted(STORED))
def test_exif_orientation_is_respected(tmp_path, orientation):
    shown = gradient()
    exif = Image.Exif()
    exif[0x0112] = orientation
    STORED[orientation](shown).save(tmp_path / "turned.jpg", quality=95, exif=exif)
    page = rendered(render(placed(tmp_path / "turned.jpg")))
    assert_close(printed_colours(page), expected_colours(shown))


@pytest.mark.parametrize("mode, space", [("RGB", b"/DeviceRGB"), ("L", b"/DeviceGray"), ("CMYK", b"/DeviceCMYK")])
def test_an_upright_jpeg_at_most_300_ppi_is_embedded_byte_for_byte(tmp_path, mode, space):
    gradient().convert(mode).save(tmp_path / "photo.jpg", quality=90, progressive=mode == "L")  # 400 px over 200 pt: 144 ppi
    data = render(placed(tmp_path / "photo.jpg"))
    [image] = image_objects(data)
    assert image.get_filters() == ["DCTDecode"]
    assert bytes(image.get_data(decode_simple=False)) == (tmp_path / "photo.jpg").read_bytes()
    assert image.get_px_size() == (400, 300)
    assert b"/ColorSpace " + space in data


def test_a_turned_jpeg_is_encoded_again(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6
    gradient().save(tmp_path / "photo.jpg", quality=90, exif=exif)
    [image] = image_objects(render(placed(tmp_path / "photo.jpg")))
    assert bytes(image.get_data(decode_simple=False)) != (tmp_path / "photo.jpg").read_bytes()


def wide_gamut_profile() -> bytes:
    """A small ICC v2 display profile with Display P3's primaries (D50) and gamma 2.2."""

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)

    name = b"Wide test RGB\0"
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(2.2 * 256)) + b"\0\0"
    tags = [
        (b"desc", b"desc\0\0\0\0" + struct.pack(">I", len(name)) + name + b"\0" * 78),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.5151, 0.2412, -0.0011)),
        (b"gXYZ", xyz(0.2920, 0.6922, 0.0419)),
        (b"bXYZ", xyz(0.1571, 0.0666, 0.7841)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table = body = b""
    for signature, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = struct.pack(">I4sI", offset + len(body), b"", 0x02100000) + b"mntrRGB XYZ " + b"\0" * 12 + b"acsp" + b"\0" * 28
    header += s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 48
    return header + struct.pack(">I", len(tags)) + table + body


def test_a_wide_gamut_jpeg_is_converted_to_srgb(tmp_path):
    profile = wide_gamut_profile()
    Image.new("RGB", (400, 300), (200, 60, 60)).save(tmp_path / "p3.jpg", quality=95, icc_profile=profile)
    Image.new("RGB", (400, 300), (200, 60, 60)).save(tmp_path / "plain.jpg", quality=95)
    want = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), (200, 60, 60)), ImageCms.ImageCmsProfile(io.BytesIO(profile)), ImageCms.createProfile("sRGB")
    ).getpixel((0, 0))
    assert want[0] > 212 and want[1] < 45  # the same numbers mean a redder red in the wider space
    [colour] = set(printed_colours(rendered(render(placed(tmp_path / "p3.jpg")))))
    assert_close([colour], [want], 4)
    [plain] = set(printed_colours(rendered(render(placed(tmp_path / "plain.jpg")))))  # untagged: taken as sRGB, passed through
    assert_close([plain], [(200, 60, 60)], 4)


@pytest.mark.parametrize("name", ["big.jpg", "big.png"])
def test_downsampled_to_at_most_300_ppi_and_only_the_visible_region(tmp_path, name):
    big = gradient(1600, 1200)
    big.save(tmp_path / name)
    box = (50.0, 60.0, 100.0, 50.0)  # 1600 px over 100 pt: 1152 ppi
    data = render(placed(tmp_path / name, box))
    [image] = image_objects(data)
    width, height = image.get_px_size()
    assert (width, height) == (416, 208)  # 100 pt and 50 pt at 300 ppi, whole pixels below it
    assert_close(printed_colours(rendered(data), box)[2:3], expected_colours(big, box)[2:3])


def test_low_resolution_photos_are_not_upsampled(tmp_path):
    gradient(40, 30).save(tmp_path / "small.png")  # 40 px over 200 pt: 14 ppi
    [image] = image_objects(render(placed(tmp_path / "small.png")))
    assert image.get_px_size() == (40, 20)  # the visible region's own pixels


def test_two_renders_give_the_same_bytes(tmp_path):
    for name in ("a.jpg", "b.png", "c.webp"):
        gradient().save(tmp_path / name)
    exif = Image.Exif()
    exif[0x0112] = 3
    gradient().save(tmp_path / "d.jpg", exif=exif)
    boxes = [(20.0, 20.0, 100.0, 80.0), (150.0, 20.0, 120.0, 60.0), (20.0, 150.0, 60.0, 120.0), (150.0, 150.0, 30.0, 30.0)]
    images = [placed(tmp_path / n, b) for n, b in zip(("a.jpg", "b.png", "c.webp", "d.jpg"), boxes, strict=True)]
    assert render(*images) == render(*images)


def test_the_same_photo_on_two_pages_is_embedded_once(tmp_path):
    gradient(1600, 1200).save(tmp_path / "photo.jpg")
    data = render(placed(tmp_path / "photo.jpg"), pages=2)
    assert data.count(b"/Subtype /Image") == 1
    assert len(image_objects(data, 0)) == len(image_objects(data, 1)) == 1


def truncated(path) -> None:
    """A JPEG cut short, as a copy interrupted between ingest and render leaves it."""
    whole = io.BytesIO()
    gradient().save(whole, "JPEG")
    path.write_bytes(whole.getvalue()[:900])


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda path: None, "photo not found (left blank)"),
        (lambda path: path.write_text("not a photo"), "photo is not an image Pillow can read (left blank)"),
        (lambda path: truncated(path), "photo is broken (left blank): "),
    ],
    ids=["vanished", "not an image", "truncated"],
)
def test_a_missing_or_broken_photo_leaves_its_box_blank_with_one_line(tmp_path, make, reason):
    path = tmp_path / "photo.jpg"
    make(path)
    gradient().save(tmp_path / "fine.png")
    problems = []
    data = render(
        placed(path),
        placed(tmp_path / "fine.png", (50.0, 200.0, 80.0, 60.0)),
        on_photo=lambda image, problem: problems.append((image, problem)),
    )
    [(image, problem)] = problems
    assert image.file == str(path) and image.article == 0
    assert isinstance(problem, PhotoWarning) and str(problem).startswith(f"{path}: {reason}")
    assert "\n" not in str(problem)
    page = rendered(data)
    assert set(printed_colours(page)) == {(255, 255, 255)}  # the box is blank
    assert len(image_objects(data)) == 1  # the other photo is there


def test_without_a_handler_a_broken_photo_is_a_python_warning(tmp_path):
    with pytest.warns(UserWarning, match="photo not found"):
        render(placed(tmp_path / "gone.jpg"))


def test_logos_still_fit_inside_their_box(tmp_path):
    gradient().save(tmp_path / "logo.png")
    logo = PlacedImage(str(tmp_path / "logo.png"), *BOX)
    [image] = image_objects(render(logo))
    left, bottom, right, top = image.get_bounds()
    assert round(right - left) == 133 and round(top - bottom) == 100  # 4:3 inside 200 × 100: whole, centred
