"""Contact sheets: every page of each PDF side by side in one PNG, to look at a whole issue at
once (the README shows the example issues' sheets). Run by hand:

    python tools/contact_sheet.py out/issues/*.pdf -o docs/contact-sheets
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

GAP = 12  # px between pages


def sheet(pdf_path: Path, height: int) -> Image.Image:
    """The PDF's pages at `height` px tall, in a row on grey, each with a thin frame."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        pages = []
        for page in pdf:
            scale = height / page.get_height()
            pages.append(page.render(scale=scale).to_pil().convert("RGB"))
    finally:
        pdf.close()
    width = sum(p.width for p in pages) + GAP * (len(pages) + 1)
    out = Image.new("RGB", (width, height + 2 * GAP), (200, 200, 200))
    draw = ImageDraw.Draw(out)
    x = GAP
    for page in pages:
        out.paste(page, (x, GAP))
        draw.rectangle((x - 1, GAP - 1, x + page.width, GAP + page.height), outline=(120, 120, 120))
        x += page.width + GAP
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="+", type=Path)
    parser.add_argument("-o", "--output", type=Path, default=Path("out/contact-sheets"))
    parser.add_argument("--height", type=int, default=560, help="Page height in px.")
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    for path in args.pdfs:
        image = sheet(path, args.height)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        target = args.output / f"{path.stem}.png"
        target.write_bytes(buffer.getvalue())
        print(f"wrote {target} ({image.width} × {image.height} px)", file=sys.stderr)


if __name__ == "__main__":
    main()
