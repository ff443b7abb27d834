"""An sRGB ICC profile (version 2.1, matrix and curves), written here byte for byte: the archive's
output intent needs one, a profile made by littleCMS carries the time it was made (and is
version 4.4, newer than PDF/A-2 allows), and shipping a file for 500 bytes of numbers is no gain."""

from __future__ import annotations

import struct
from functools import cache

DESCRIPTION = "sRGB IEC61966-2.1"
D50 = (0.9642, 1.0, 0.8249)
# the sRGB primaries adapted to D50 (Bradford), as the ICC's own sRGB profiles give them
PRIMARIES = {
    "rXYZ": (0.4360747, 0.2225045, 0.0139322),
    "gXYZ": (0.3850649, 0.7168786, 0.0971045),
    "bXYZ": (0.1430804, 0.0606169, 0.7141733),
}
CURVE_POINTS = 1024


def _fixed(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(values: tuple[float, float, float]) -> bytes:
    return b"XYZ \0\0\0\0" + b"".join(_fixed(v) for v in values)


def _curve() -> bytes:
    """The sRGB transfer function (IEC 61966-2.1) sampled at CURVE_POINTS points."""
    points = []
    for i in range(CURVE_POINTS):
        v = i / (CURVE_POINTS - 1)
        linear = v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
        points.append(round(linear * 65535))
    return b"curv\0\0\0\0" + struct.pack(f">I{CURVE_POINTS}H", CURVE_POINTS, *points)


def _description(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\0"
    return b"desc\0\0\0\0" + struct.pack(">I", len(ascii_text)) + ascii_text + b"\0" * (4 + 4 + 2 + 1 + 67)


@cache
def srgb_profile() -> bytes:
    """The profile's bytes, the same every run (its date fixed at 2000-01-01)."""
    curve = _curve()
    tags = [
        ("desc", _description(DESCRIPTION)),
        ("cprt", b"text\0\0\0\0No copyright, use freely\0"),
        ("wtpt", _xyz(D50)),
        *((name, _xyz(value)) for name, value in PRIMARIES.items()),
        ("rTRC", curve),
        ("gTRC", curve),
        ("bTRC", curve),
    ]
    table, body, offsets = [], b"", {}
    start = 128 + 4 + 12 * len(tags)
    for name, data in tags:
        if data not in offsets:  # the three curves share one copy
            offsets[data] = start + len(body)
            body += data + b"\0" * (-len(data) % 4)
        table.append(struct.pack(">4sII", name.encode("ascii"), offsets[data], len(data)))
    size = start + len(body)
    header = struct.pack(">I4sI4s4s4s", size, b"", 0x02100000, b"mntr", b"RGB ", b"XYZ ")  # size, CMM, version, class, spaces
    header += struct.pack(
        ">6H4s4sI4sI", 2000, 1, 1, 0, 0, 0, b"acsp", b"", 0, b"", 0
    )  # date, signature, platform, flags, maker, model
    # attributes, rendering intent, the PCS illuminant, creator, profile id (none in version 2), reserved
    header += b"\0" * 8 + struct.pack(">I", 0) + b"".join(_fixed(v) for v in D50) + b"\0" * 4 + b"\0" * 16 + b"\0" * 28
    return header + struct.pack(">I", len(tags)) + b"".join(table) + body
