"""PNG previews of a PDF's pages (pypdfium2), written beside it atomically."""

from __future__ import annotations

import io
from pathlib import Path

from ..fsutil import atomic_write_bytes


def write_previews(pdf: Path, dpi: float = 72) -> list[Path]:
    """`<stem>-p<NN>.png` for every page of `pdf`, at `dpi`; the paths written. Page numbers are
    zero-padded to the page count's width (at least two digits), so names sort in page order."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    written = []
    digits = max(2, len(str(len(document))))
    try:
        for number in range(len(document)):
            page = document[number]
            image = page.render(scale=dpi / 72).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=False)
            target = pdf.with_name(f"{pdf.stem}-p{number + 1:0{digits}d}.png")
            atomic_write_bytes(target, buffer.getvalue())
            written.append(target)
            page.close()
    finally:
        document.close()
    return written
