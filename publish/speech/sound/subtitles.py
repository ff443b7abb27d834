"""Subtitles from the printed text: SRT, WebVTT and LRC, one cue per line of `Timed`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Timed:
    """A subtitle line on the article's timeline (seconds)."""

    start: float
    end: float
    text: str


def _clock(seconds: float, decimal: str) -> str:
    ms = max(0, round(seconds * 1000))
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{decimal}{ms:03d}"


def _line(text: str) -> str:
    """Cue text on one line (a cue never carries a line break of its own)."""
    return " ".join(text.split())


def shown(cues: list[Timed]) -> list[Timed]:
    """The cues a viewer sees: one holding only punctuation or spaces (a `。` left by a cut) is
    joined to the cue before it (or after it, for the first), which then spans both; times never
    run backwards and a cue never starts before the previous one ends."""
    out: list[Timed] = []
    pending = ""  # marks before the first cue that says something
    for cue in cues:
        if not any(ch.isalnum() for ch in cue.text):
            if out:
                last = out[-1]
                out[-1] = Timed(last.start, max(last.end, cue.end), last.text + cue.text)
            else:
                pending += cue.text
            continue
        start = max(cue.start, out[-1].end) if out else cue.start
        out.append(Timed(start, max(start, cue.end), pending + cue.text))
        pending = ""
    return out


def srt(cues: list[Timed]) -> str:
    blocks = [f"{n}\n{_clock(c.start, ',')} --> {_clock(c.end, ',')}\n{_line(c.text)}\n" for n, c in enumerate(shown(cues), 1)]
    return "\n".join(blocks)


def _vtt_text(text: str) -> str:
    """WebVTT cue text: &, < and > are markup there."""
    return _line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def vtt(cues: list[Timed], title: str = "") -> str:
    """WebVTT with cue identifiers `s1`, `s2` … (1-based over the shown cues): the ids of the
    sentence spans in the web edition's article view, so a player's active cue names its span."""
    head = f"WEBVTT - {_line(title)}\n" if title else "WEBVTT\n"
    blocks = [
        f"{cue_id(n)}\n{_clock(c.start, '.')} --> {_clock(c.end, '.')}\n{_vtt_text(c.text)}\n"
        for n, c in enumerate(shown(cues), 1)
    ]
    return "\n".join([head, *blocks])


def cue_id(number: int) -> str:
    """The identifier of the `number`th shown cue (1-based), in the VTT and the article view."""
    return f"s{number}"


def lrc(cues: list[Timed], *, title: str = "", artist: str = "", album: str = "") -> str:
    """LRC lyrics: `[mm:ss.xx]line`, with the ID tags players show."""
    lines = [f"[{tag}:{_line(value)}]" for tag, value in (("ti", title), ("ar", artist), ("al", album)) if value]
    for cue in shown(cues):
        centis = max(0, round(cue.start * 100))
        minutes, centis = divmod(centis, 6000)
        lines.append(f"[{minutes:02d}:{centis // 100:02d}.{centis % 100:02d}]{_line(cue.text)}")
    return "\n".join(lines) + "\n"
