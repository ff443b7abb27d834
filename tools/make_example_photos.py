"""Draw the photos of `examples/` (made by the team, CC0): photo-like scenes of shapes, gradients
and a little grain, the same pixels on every run.

Nothing can be downloaded where the examples are made, and a real photo would need a licence,
so these are drawn. Each covers one form a photo reaches publish in:

    qingwu-daily/2026-11-20-p01-3.jpg   baseline JPEG, the 图片报道 beside its dump (ginkgo avenue)
    qingwu-daily/2026-11-20-p01-1.jpg   CMYK JPEG beside the lead story, caption in the .json sidecar
    markdown/volunteers.jpg             JPEG stored on its side with EXIF orientation 6
    records/canteen.webp                WebP named by a record's `images`
    records/trains.png                  PNG graphic (a chart) named by a record's `imgs`

Run from the repository root: python tools/make_example_photos.py [--out examples]
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 2000, 1333  # 3:2, the canvas the scenes are drawn on
SIZE = (2400, 1600)  # as saved: ≥150 ppi across a broadsheet's 8 columns of 13 × 9 pt characters (about 14 in)


def gradient(width: int, height: int, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    """A vertical gradient, as a sky or a wall in soft light."""
    t = np.linspace(0.0, 1.0, height)[:, None, None]
    rows = (1 - t) * np.array(top, float) + t * np.array(bottom, float)
    return Image.fromarray(np.repeat(rows, width, axis=1).astype(np.uint8), "RGB")


def grain(image: Image.Image, seed: int, strength: float = 2.5) -> Image.Image:
    """Film-like noise from a seeded generator, then a slight blur, so edges look photographed."""
    image = image.resize(SIZE, Image.Resampling.LANCZOS)
    pixels = np.asarray(image.filter(ImageFilter.GaussianBlur(1.2)), dtype=float)
    noise = np.random.default_rng(seed).normal(0.0, strength, pixels.shape[:2])[:, :, None]
    return Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), "RGB")


def ginkgo_avenue() -> Image.Image:
    """A street lined with yellow ginkgo trees, walkers on the pavement."""
    image = gradient(WIDTH, HEIGHT, (126, 176, 222), (232, 226, 205))
    draw = ImageDraw.Draw(image)
    vanish = (WIDTH // 2, int(HEIGHT * 0.45))
    draw.polygon([vanish, (WIDTH, HEIGHT), (0, HEIGHT)], fill=(150, 150, 146))  # road
    draw.polygon([vanish, (0, HEIGHT), (0, int(HEIGHT * 0.8))], fill=(214, 190, 120))  # leaf-covered walk
    draw.polygon([vanish, (WIDTH, HEIGHT), (WIDTH, int(HEIGHT * 0.8))], fill=(214, 190, 120))
    for i in range(9):
        scale = 0.25 + i * 0.12
        for side in (-1, 1):
            x = vanish[0] + side * int(scale * WIDTH * 0.45)
            base = vanish[1] + int(scale * HEIGHT * 0.42)
            trunk = int(18 * scale)
            draw.rectangle([x - trunk, base - int(260 * scale), x + trunk, base], fill=(92, 70, 50))
            r = int(170 * scale)
            for k, (dx, dy) in enumerate(((0, -1.9), (-0.6, -1.5), (0.6, -1.5))):
                shade = (236 - 12 * k, 188 - 10 * k, 38)
                cx, cy = x + int(dx * r), base - int(260 * scale) + int(dy * r * 0.5)
                draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=shade)
    for i, x in enumerate((420, 610, 1380, 1540)):
        h = 160 + 25 * (i % 2)
        y = int(HEIGHT * 0.9)
        draw.rectangle([x - 22, y - h, x + 22, y], fill=((60, 80, 140), (180, 60, 60), (40, 40, 40), (230, 230, 230))[i])
        draw.ellipse([x - 20, y - h - 44, x + 20, y - h - 4], fill=(224, 186, 160))
    return grain(image, 1)


def heating_plant() -> Image.Image:
    """A heat station at dusk: chimney steam, lit windows, a row of homes."""
    image = gradient(WIDTH, HEIGHT, (40, 52, 96), (236, 150, 92))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, int(HEIGHT * 0.72), WIDTH, HEIGHT], fill=(58, 56, 60))
    draw.rectangle([1180, 420, 1300, 960], fill=(120, 112, 108))
    for k in range(7):
        r = 70 + 28 * k
        cx, cy = 1240 - 60 * k, 380 - 70 * k
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(214 - 6 * k, 206 - 6 * k, 204 - 6 * k))
    for i in range(11):
        x0 = 40 + i * 180
        top = 560 + (i * 53) % 160
        draw.rectangle([x0, top, x0 + 150, int(HEIGHT * 0.74)], fill=(34 + 4 * (i % 3), 38, 52))
        for row in range(top + 30, int(HEIGHT * 0.7), 60):
            for col in range(x0 + 18, x0 + 130, 40):
                lit = (row * 7 + col * 3 + i) % 5 < 3
                draw.rectangle([col, row, col + 22, row + 30], fill=(250, 214, 130) if lit else (60, 64, 80))
    return grain(image, 2)


def volunteers() -> Image.Image:
    """Volunteers in red vests loading parcels into a van, seen across a square."""
    image = gradient(WIDTH, HEIGHT, (170, 200, 226), (210, 214, 210))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, int(HEIGHT * 0.62), WIDTH, HEIGHT], fill=(176, 170, 160))
    draw.rectangle([120, 240, 900, 820], fill=(226, 222, 214))  # the community centre
    for col in range(170, 880, 120):
        draw.rectangle([col, 320, col + 70, 420], fill=(90, 120, 150))
    draw.rounded_rectangle([1180, 520, 1900, 960], 40, fill=(240, 240, 236))  # the van
    draw.ellipse([1270, 900, 1390, 1020], fill=(30, 30, 30))
    draw.ellipse([1700, 900, 1820, 1020], fill=(30, 30, 30))
    for i, x in enumerate(range(260, 1200, 130)):
        y = 1010 + (i % 3) * 30
        draw.rectangle([x - 34, y - 250, x + 34, y - 90], fill=(206, 36, 40))  # vest
        draw.rectangle([x - 26, y - 90, x + 26, y], fill=(44, 48, 66))
        draw.ellipse([x - 28, y - 320, x + 28, y - 256], fill=(222, 184, 156))
        draw.rectangle([x + 20, y - 200, x + 110, y - 130], fill=(196, 150, 96))  # parcel
    return grain(image, 3)


def canteen() -> Image.Image:
    """A community canteen: long tables, trays, warm lamps."""
    image = gradient(WIDTH, HEIGHT, (246, 232, 206), (196, 170, 140))
    draw = ImageDraw.Draw(image)
    for x in range(200, WIDTH, 400):
        draw.ellipse([x - 90, 40, x + 90, 130], fill=(255, 236, 170))
    for row, y in enumerate((720, 960, 1200)):
        draw.rectangle([80, y - 40, WIDTH - 80, y + 20], fill=(150, 104, 70))
        for x in range(160 + 60 * row, WIDTH - 200, 260):
            draw.rectangle([x, y - 80, x + 150, y - 40], fill=(226, 226, 220))
            for k, colour in enumerate(((214, 120, 48), (88, 150, 70), (240, 236, 226))):
                draw.ellipse([x + 10 + 46 * k, y - 76, x + 44 + 46 * k, y - 46], fill=colour)
            draw.ellipse([x + 40, y - 230, x + 110, y - 160], fill=(222, 186, 160))
            draw.rectangle([x + 30, y - 160, x + 120, y - 80], fill=((70, 90, 130), (150, 70, 70), (90, 90, 90))[(x // 260) % 3])
    return grain(image, 4)


def train_chart() -> Image.Image:
    """A plain bar chart (本报制图): extra weekend trains by line; flat colours, as a PNG suits."""
    image = Image.new("RGB", (1800, 1200), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.line([(200, 1040), (1700, 1040)], fill=(40, 40, 40), width=6)
    draw.line([(200, 120), (200, 1040)], fill=(40, 40, 40), width=6)
    for k in range(1, 5):
        y = 1040 - k * 200
        draw.line([(200, y), (1700, y)], fill=(210, 210, 210), width=3)
    for i, (value, colour) in enumerate(((6, (196, 40, 44)), (4, (232, 140, 40)), (3, (60, 110, 170)), (2, (90, 150, 90)))):
        x = 300 + i * 340
        draw.rectangle([x, 1040 - value * 140, x + 220, 1037], fill=colour)
        for j in range(value):
            draw.ellipse([x + 90, 1040 - (j + 1) * 140 + 50, x + 130, 1040 - (j + 1) * 140 + 90], fill=(255, 255, 255))
    return image.resize(SIZE, Image.Resampling.LANCZOS)


def save_jpeg(image: Image.Image, path: Path, **options) -> None:
    path.write_bytes(_encoded(image, "JPEG", quality=74, optimize=True, **options))


def _encoded(image: Image.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("examples"))
    out = parser.parse_args().out
    save_jpeg(ginkgo_avenue(), out / "qingwu-daily" / "2026-11-20-p01-3.jpg")
    save_jpeg(
        heating_plant().convert("CMYK"),
        out / "qingwu-daily" / "2026-11-20-p01-1.jpg",
    )
    exif = Image.Exif()
    exif[0x0112] = 6  # displays turned a quarter clockwise: stored on its side
    save_jpeg(volunteers().transpose(Image.Transpose.ROTATE_90), out / "markdown" / "volunteers.jpg", exif=exif.tobytes())
    (out / "records" / "canteen.webp").write_bytes(_encoded(canteen(), "WEBP", quality=72, method=6))
    (out / "records" / "trains.png").write_bytes(
        _encoded(train_chart().convert("P", palette=Image.Palette.ADAPTIVE), "PNG", optimize=True)
    )
    for path in sorted(out.rglob("*")):
        if path.suffix in (".jpg", ".png", ".webp"):
            with Image.open(path) as image:
                print(f"{path}: {image.format} {image.mode} {image.size[0]}×{image.size[1]}, {path.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
