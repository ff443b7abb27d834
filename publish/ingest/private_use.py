"""Private-use characters (造字) in GBK/GB 18030 dumps: the ones with a standard code point, and a paper's own.

Founder (方正) systems and GBK-era fonts put characters Unicode lacked at the time in the
private-use area; GB 18030-2005 still decoded 24 two-byte positions (and ḿ) there, and
GBK 1.0 81 more. `STANDARD` maps each to the code point it has now, so a dump decoded with
an older table (Python's ``gb18030`` codec is GB 18030-2005: ``b"\\xfe\\x59"`` → U+E81E) prints
and reads the real character. Any other private-use character is a paper's own 造字: it is
kept, reported once per (file, line, code point), and a paper maps it in publish.toml's
``[chars]`` table (``"U+E3A1" = "䶮"``).

Source of the table (key: private-use code point → (GB bytes, standard code point)):
* GB 18030-2005 rows: every two-byte sequence Python's gb18030 codec decodes into U+E000–U+F8FF,
  mapped to what GB 18030-2022 gives the same bytes (glibc 2.36's GB18030 converter, which
  follows the 2022 edition: the 18 positions the 2022 edition moved — A6D9…A6F3 → U+FE10…FE19,
  FE59…FEA0 → U+9FB4…9FBB — the six Extension B characters it left in the private-use area in
  the table but Unicode has, FE51 → U+20087 …, and A8BC → U+1E3F ḿ, remapped by the 2005 edition).
* GBK 1.0 rows: the positions GBK 1.0 mapped to U+E815…E864 (FE50…FEA0, in order), U+E76C
  (A2E3 €), U+E7C8 (A8BF ǹ) and U+E7E7…E7F3 (A989…A995), which GB 18030-2000 gave standard code
  points (CJK radicals, Extension A, ideographic description characters), as glibc decodes them.
tests/ingest/test_private_use.py checks every row against both codecs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# private-use code point → (GB 18030 bytes, standard code point)
STANDARD_CODES: dict[int, tuple[str, int]] = {
    0xE76C: ("A2E3", 0x20AC),  # € euro sign (GBK 1.0)
    0xE78D: ("A6D9", 0xFE10),  # ︐ presentation form for vertical comma
    0xE78E: ("A6DA", 0xFE12),  # ︒ presentation form for vertical ideographic full stop
    0xE78F: ("A6DB", 0xFE11),  # ︑ presentation form for vertical ideographic comma
    0xE790: ("A6DC", 0xFE13),  # ︓ presentation form for vertical colon
    0xE791: ("A6DD", 0xFE14),  # ︔ presentation form for vertical semicolon
    0xE792: ("A6DE", 0xFE15),  # ︕ presentation form for vertical exclamation mark
    0xE793: ("A6DF", 0xFE16),  # ︖ presentation form for vertical question mark
    0xE794: ("A6EC", 0xFE17),  # ︗ presentation form for vertical left white lenticular bracket
    0xE795: ("A6ED", 0xFE18),  # ︘ presentation form for vertical right white lenticular brakcet
    0xE796: ("A6F3", 0xFE19),  # ︙ presentation form for vertical horizontal ellipsis
    0xE7C7: ("A8BC", 0x1E3F),  # ḿ latin small letter m with acute
    0xE7C8: ("A8BF", 0x01F9),  # ǹ latin small letter n with grave (GBK 1.0)
    0xE7E7: ("A989", 0x303E),  # 〾 ideographic variation indicator (GBK 1.0)
    0xE7E8: ("A98A", 0x2FF0),  # ⿰ ideographic description character left to right (GBK 1.0)
    0xE7E9: ("A98B", 0x2FF1),  # ⿱ ideographic description character above to below (GBK 1.0)
    0xE7EA: ("A98C", 0x2FF2),  # ⿲ ideographic description character left to middle and right (GBK 1.0)
    0xE7EB: ("A98D", 0x2FF3),  # ⿳ ideographic description character above to middle and below (GBK 1.0)
    0xE7EC: ("A98E", 0x2FF4),  # ⿴ ideographic description character full surround (GBK 1.0)
    0xE7ED: ("A98F", 0x2FF5),  # ⿵ ideographic description character surround from above (GBK 1.0)
    0xE7EE: ("A990", 0x2FF6),  # ⿶ ideographic description character surround from below (GBK 1.0)
    0xE7EF: ("A991", 0x2FF7),  # ⿷ ideographic description character surround from left (GBK 1.0)
    0xE7F0: ("A992", 0x2FF8),  # ⿸ ideographic description character surround from upper left (GBK 1.0)
    0xE7F1: ("A993", 0x2FF9),  # ⿹ ideographic description character surround from upper right (GBK 1.0)
    0xE7F2: ("A994", 0x2FFA),  # ⿺ ideographic description character surround from lower left (GBK 1.0)
    0xE7F3: ("A995", 0x2FFB),  # ⿻ ideographic description character overlaid (GBK 1.0)
    0xE815: ("FE50", 0x2E81),  # ⺁ cjk radical cliff (GBK 1.0)
    0xE816: ("FE51", 0x20087),  # 𠂇 cjk unified ideograph-20087
    0xE817: ("FE52", 0x20089),  # 𠂉 cjk unified ideograph-20089
    0xE818: ("FE53", 0x200CC),  # 𠃌 cjk unified ideograph-200cc
    0xE819: ("FE54", 0x2E84),  # ⺄ cjk radical second three (GBK 1.0)
    0xE81A: ("FE55", 0x3473),  # 㑳 cjk unified ideograph-3473 (GBK 1.0)
    0xE81B: ("FE56", 0x3447),  # 㑇 cjk unified ideograph-3447 (GBK 1.0)
    0xE81C: ("FE57", 0x2E88),  # ⺈ cjk radical knife one (GBK 1.0)
    0xE81D: ("FE58", 0x2E8B),  # ⺋ cjk radical seal (GBK 1.0)
    0xE81E: ("FE59", 0x9FB4),  # 龴 cjk unified ideograph-9fb4
    0xE81F: ("FE5A", 0x359E),  # 㖞 cjk unified ideograph-359e (GBK 1.0)
    0xE820: ("FE5B", 0x361A),  # 㘚 cjk unified ideograph-361a (GBK 1.0)
    0xE821: ("FE5C", 0x360E),  # 㘎 cjk unified ideograph-360e (GBK 1.0)
    0xE822: ("FE5D", 0x2E8C),  # ⺌ cjk radical small one (GBK 1.0)
    0xE823: ("FE5E", 0x2E97),  # ⺗ cjk radical heart two (GBK 1.0)
    0xE824: ("FE5F", 0x396E),  # 㥮 cjk unified ideograph-396e (GBK 1.0)
    0xE825: ("FE60", 0x3918),  # 㤘 cjk unified ideograph-3918 (GBK 1.0)
    0xE826: ("FE61", 0x9FB5),  # 龵 cjk unified ideograph-9fb5
    0xE827: ("FE62", 0x39CF),  # 㧏 cjk unified ideograph-39cf (GBK 1.0)
    0xE828: ("FE63", 0x39DF),  # 㧟 cjk unified ideograph-39df (GBK 1.0)
    0xE829: ("FE64", 0x3A73),  # 㩳 cjk unified ideograph-3a73 (GBK 1.0)
    0xE82A: ("FE65", 0x39D0),  # 㧐 cjk unified ideograph-39d0 (GBK 1.0)
    0xE82B: ("FE66", 0x9FB6),  # 龶 cjk unified ideograph-9fb6
    0xE82C: ("FE67", 0x9FB7),  # 龷 cjk unified ideograph-9fb7
    0xE82D: ("FE68", 0x3B4E),  # 㭎 cjk unified ideograph-3b4e (GBK 1.0)
    0xE82E: ("FE69", 0x3C6E),  # 㱮 cjk unified ideograph-3c6e (GBK 1.0)
    0xE82F: ("FE6A", 0x3CE0),  # 㳠 cjk unified ideograph-3ce0 (GBK 1.0)
    0xE830: ("FE6B", 0x2EA7),  # ⺧ cjk radical cow (GBK 1.0)
    0xE831: ("FE6C", 0x215D7),  # 𡗗 cjk unified ideograph-215d7
    0xE832: ("FE6D", 0x9FB8),  # 龸 cjk unified ideograph-9fb8
    0xE833: ("FE6E", 0x2EAA),  # ⺪ cjk radical bolt of cloth (GBK 1.0)
    0xE834: ("FE6F", 0x4056),  # 䁖 cjk unified ideograph-4056 (GBK 1.0)
    0xE835: ("FE70", 0x415F),  # 䅟 cjk unified ideograph-415f (GBK 1.0)
    0xE836: ("FE71", 0x2EAE),  # ⺮ cjk radical bamboo (GBK 1.0)
    0xE837: ("FE72", 0x4337),  # 䌷 cjk unified ideograph-4337 (GBK 1.0)
    0xE838: ("FE73", 0x2EB3),  # ⺳ cjk radical net three (GBK 1.0)
    0xE839: ("FE74", 0x2EB6),  # ⺶ cjk radical sheep (GBK 1.0)
    0xE83A: ("FE75", 0x2EB7),  # ⺷ cjk radical ram (GBK 1.0)
    0xE83B: ("FE76", 0x2298F),  # 𢦏 cjk unified ideograph-2298f
    0xE83C: ("FE77", 0x43B1),  # 䎱 cjk unified ideograph-43b1 (GBK 1.0)
    0xE83D: ("FE78", 0x43AC),  # 䎬 cjk unified ideograph-43ac (GBK 1.0)
    0xE83E: ("FE79", 0x2EBB),  # ⺻ cjk radical brush two (GBK 1.0)
    0xE83F: ("FE7A", 0x43DD),  # 䏝 cjk unified ideograph-43dd (GBK 1.0)
    0xE840: ("FE7B", 0x44D6),  # 䓖 cjk unified ideograph-44d6 (GBK 1.0)
    0xE841: ("FE7C", 0x4661),  # 䙡 cjk unified ideograph-4661 (GBK 1.0)
    0xE842: ("FE7D", 0x464C),  # 䙌 cjk unified ideograph-464c (GBK 1.0)
    0xE843: ("FE7E", 0x9FB9),  # 龹 cjk unified ideograph-9fb9
    0xE844: ("FE80", 0x4723),  # 䜣 cjk unified ideograph-4723 (GBK 1.0)
    0xE845: ("FE81", 0x4729),  # 䜩 cjk unified ideograph-4729 (GBK 1.0)
    0xE846: ("FE82", 0x477C),  # 䝼 cjk unified ideograph-477c (GBK 1.0)
    0xE847: ("FE83", 0x478D),  # 䞍 cjk unified ideograph-478d (GBK 1.0)
    0xE848: ("FE84", 0x2ECA),  # ⻊ cjk radical foot (GBK 1.0)
    0xE849: ("FE85", 0x4947),  # 䥇 cjk unified ideograph-4947 (GBK 1.0)
    0xE84A: ("FE86", 0x497A),  # 䥺 cjk unified ideograph-497a (GBK 1.0)
    0xE84B: ("FE87", 0x497D),  # 䥽 cjk unified ideograph-497d (GBK 1.0)
    0xE84C: ("FE88", 0x4982),  # 䦂 cjk unified ideograph-4982 (GBK 1.0)
    0xE84D: ("FE89", 0x4983),  # 䦃 cjk unified ideograph-4983 (GBK 1.0)
    0xE84E: ("FE8A", 0x4985),  # 䦅 cjk unified ideograph-4985 (GBK 1.0)
    0xE84F: ("FE8B", 0x4986),  # 䦆 cjk unified ideograph-4986 (GBK 1.0)
    0xE850: ("FE8C", 0x499F),  # 䦟 cjk unified ideograph-499f (GBK 1.0)
    0xE851: ("FE8D", 0x499B),  # 䦛 cjk unified ideograph-499b (GBK 1.0)
    0xE852: ("FE8E", 0x49B7),  # 䦷 cjk unified ideograph-49b7 (GBK 1.0)
    0xE853: ("FE8F", 0x49B6),  # 䦶 cjk unified ideograph-49b6 (GBK 1.0)
    0xE854: ("FE90", 0x9FBA),  # 龺 cjk unified ideograph-9fba
    0xE855: ("FE91", 0x241FE),  # 𤇾 cjk unified ideograph-241fe
    0xE856: ("FE92", 0x4CA3),  # 䲣 cjk unified ideograph-4ca3 (GBK 1.0)
    0xE857: ("FE93", 0x4C9F),  # 䲟 cjk unified ideograph-4c9f (GBK 1.0)
    0xE858: ("FE94", 0x4CA0),  # 䲠 cjk unified ideograph-4ca0 (GBK 1.0)
    0xE859: ("FE95", 0x4CA1),  # 䲡 cjk unified ideograph-4ca1 (GBK 1.0)
    0xE85A: ("FE96", 0x4C77),  # 䱷 cjk unified ideograph-4c77 (GBK 1.0)
    0xE85B: ("FE97", 0x4CA2),  # 䲢 cjk unified ideograph-4ca2 (GBK 1.0)
    0xE85C: ("FE98", 0x4D13),  # 䴓 cjk unified ideograph-4d13 (GBK 1.0)
    0xE85D: ("FE99", 0x4D14),  # 䴔 cjk unified ideograph-4d14 (GBK 1.0)
    0xE85E: ("FE9A", 0x4D15),  # 䴕 cjk unified ideograph-4d15 (GBK 1.0)
    0xE85F: ("FE9B", 0x4D16),  # 䴖 cjk unified ideograph-4d16 (GBK 1.0)
    0xE860: ("FE9C", 0x4D17),  # 䴗 cjk unified ideograph-4d17 (GBK 1.0)
    0xE861: ("FE9D", 0x4D18),  # 䴘 cjk unified ideograph-4d18 (GBK 1.0)
    0xE862: ("FE9E", 0x4D19),  # 䴙 cjk unified ideograph-4d19 (GBK 1.0)
    0xE863: ("FE9F", 0x4DAE),  # 䶮 cjk unified ideograph-4dae (GBK 1.0)
    0xE864: ("FEA0", 0x9FBB),  # 龻 cjk unified ideograph-9fbb
}
STANDARD = {chr(pua): chr(code) for pua, (_, code) in STANDARD_CODES.items()}

PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def is_private_use(ch: str) -> bool:
    """True for a character of a private-use area (U+E000–U+F8FF, planes 15 and 16)."""
    return bool(PRIVATE_USE.fullmatch(ch))


def resolve_private_use(text: str, own: Mapping[str, str] | None = None) -> tuple[str, list[tuple[int, str]]]:
    """`text` with private-use characters replaced (the paper's own mapping first, then the
    standard table), and (line, character) of each one left, once per line and character."""
    if not PRIVATE_USE.search(text):
        return text, []
    table = {**STANDARD, **(own or {})}
    left: dict[tuple[int, str], None] = {}
    counted = [0, 1]  # index up to which lines are counted, and the line there

    def replace(m: re.Match[str]) -> str:
        ch = m.group(0)
        if ch in table:
            return table[ch]
        start, line = counted
        head = text[start : m.start()]
        line += head.count("\n") + head.count("\r") - head.count("\r\n")  # lines as Document counts them
        counted[:] = [m.start(), line]
        left.setdefault((line, ch), None)
        return ch

    return PRIVATE_USE.sub(replace, text), list(left)
