"""What a PDF is made to: the standard it claims (press, archive, or plain), the press's output
profile and ink limit, and whether it is tagged. The renderer draws for it; the finishing pass
(finish.py) writes what the standard asks of the file."""

from __future__ import annotations

from dataclasses import dataclass

STANDARDS = ("plain", "press", "archive")
# plain:   PDF 1.7, RGB colours, tagged (PDF/UA-1), XMP — for screens, proofs and the web
# press:   PDF/X-4 for a newspaper press: CMYK only, black text 100 % K overprinted, the output
#          profile embedded as the output intent, photos separated to it within the ink limit
# archive: PDF/A-2u (sRGB output intent), tagged


@dataclass(frozen=True)
class Output:
    """The standard a PDF is made to. `icc` is the press's CMYK output profile (a path; None: a
    newsprint profile found on the system, else the bundled CGATS21_CRPC1) and `tac` its total
    ink limit in percent (None: the profile's own). Settings check these (config.PdfSettings)."""

    standard: str = "plain"
    icc: str | None = None
    tac: float | None = None
    tagged: bool = True

    @property
    def press(self) -> bool:
        return self.standard == "press"

    @property
    def archive(self) -> bool:
        return self.standard == "archive"


PLAIN = Output()  # the default: a plain, tagged PDF
