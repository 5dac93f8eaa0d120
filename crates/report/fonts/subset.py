#!/usr/bin/env python3
"""Remakes the report's fonts: the Simplified Chinese face of Noto Sans CJK, cut down to the
characters a Chinese report needs.

    pip install fonttools==4.68.0
    python3 crates/report/fonts/subset.py [SOURCE_DIR [OUT_DIR]]

SOURCE_DIR holds NotoSansCJK-Regular.ttc and NotoSansCJK-Bold.ttc (Noto Sans CJK 2.004; on
Debian/Ubuntu the fonts-noto-cjk package puts them in /usr/share/fonts/opentype/noto, the
default). Writes NotoSansCJKsc-Regular.subset.otf and NotoSansCJKsc-Bold.subset.otf to
OUT_DIR, by default next to this script. The output is deterministic: the same input fonts and fontTools give the same
bytes.

Which characters: GB 18030 is a full Unicode encoding (its four-byte form reaches every code
point), so "encodable in GB 18030" alone would keep everything, Korean included. The kept set
is what the standard's repertoire means for Chinese text, intersected with what the font has:

- every character that GB 18030 encodes in one or two bytes: ASCII and the whole GBK
  repertoire (GB 2312, the GBK hanzi, and its symbols, Greek, Cyrillic, kana, bopomofo, box
  drawing, pinyin letters);
- the CJK ideograph blocks GB 18030 reaches with four bytes: the full URO (U+4E00-9FFF),
  Extension A (U+3400-4DBF, such as the rare name character U+4DAE), the compatibility
  ideographs and the supplementary ideograph planes (Extensions B and later, where the
  font has them: GB 18030-2022's name characters from the Table of General Standard Chinese
  Characters are there);
- Latin-1, general punctuation, CJK symbols and punctuation, full-width and half-width forms,
  and the symbol blocks reports use (letterlike, number forms, arrows, mathematical
  operators, enclosed alphanumerics, box drawing, geometric shapes, ticks and crosses).

Hangul (Korean) is left out: GB 18030 encodes it only through the four-byte form, and it is
no part of Chinese text; so is everything GSUB reaches only through the vertical, localized
(Japanese, Korean, Traditional Chinese) or other features the report does not use.

The Bold face is cut further, to GB 2312 (6,763 hanzi and its symbols) plus the same
punctuation and symbol blocks, to keep the two files near 11 MB together: bold is used for the
report's own headings and labels, and a character it lacks (a rare one in a section title,
say) falls back to the Regular face.
"""

import hashlib
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = os.path.dirname(os.path.abspath(__file__))
FAMILY = "Noto Sans CJK SC"

# Code point ranges kept in addition to GB 18030's one- and two-byte repertoire.
RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x2100, 0x214F),  # Letterlike Symbols (℃, №, ™)
    (0x2150, 0x218F),  # Number Forms (Ⅻ)
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical Operators
    (0x2460, 0x24FF),  # Enclosed Alphanumerics (①)
    (0x2500, 0x257F),  # Box Drawing
    (0x25A0, 0x25FF),  # Geometric Shapes
    (0x2600, 0x26FF),  # Miscellaneous Symbols
    (0x2700, 0x27BF),  # Dingbats (✓ ✗)
    (0x2E80, 0x2EFF),  # CJK Radicals Supplement
    (0x2F00, 0x2FDF),  # Kangxi Radicals
    (0x2FF0, 0x2FFF),  # Ideographic Description Characters
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3200, 0x32FF),  # Enclosed CJK Letters and Months
    (0x3300, 0x33FF),  # CJK Compatibility
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xFE10, 0xFE1F),  # Vertical Forms
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0xFE50, 0xFE6F),  # Small Form Variants
    (0xFF00, 0xFF9F),  # Half-width and Full-width Forms (without half-width Hangul)
    (0xFFE0, 0xFFEF),  # Full-width signs (￥)
]
SUPPLEMENTARY_IDEOGRAPHS = (0x20000, 0x3FFFF)  # Extensions B and later, compatibility supplement
# Blocks of RANGES the Bold face keeps only as far as GB 2312 has them.
IDEOGRAPHS = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]
HANGUL = [(0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xFFA0, 0xFFDC)]

# GSUB/GPOS features typst's horizontal text uses; no vert/vrt2/locl/palt.
FEATURES = ["ccmp", "kern", "liga", "calt", "mark", "mkmk"]


def in_ranges(cp, ranges):
    return any(lo <= cp <= hi for lo, hi in ranges)


def gb18030_short(cp):
    """True when GB 18030 encodes the code point in one or two bytes (ASCII and GBK)."""
    try:
        return len(chr(cp).encode("gb18030")) <= 2
    except UnicodeEncodeError:
        return False


def gb2312(cp):
    try:
        chr(cp).encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def regular_set(cmap):
    """GB 18030's repertoire for Chinese text, as the module's docstring says."""
    return [
        cp
        for cp in sorted(cmap)
        if not in_ranges(cp, HANGUL)
        and (
            gb18030_short(cp)
            or in_ranges(cp, RANGES)
            or in_ranges(cp, [SUPPLEMENTARY_IDEOGRAPHS])
        )
    ]


def bold_set(cmap):
    """GB 2312 plus the non-ideograph blocks of RANGES."""
    return [
        cp
        for cp in sorted(cmap)
        if gb2312(cp)
        or (in_ranges(cp, RANGES) and not in_ranges(cp, IDEOGRAPHS))
    ]


def sc_face(path):
    collection = TTCollection(path)
    for font in collection.fonts:
        if font["name"].getDebugName(1) == FAMILY:
            return font
    sys.exit(f"{path}: no face named {FAMILY}")


def make(source, out_dir, out_name, choose):
    font = sc_face(source)
    unicodes = choose(font.getBestCmap())
    options = subset.Options()
    options.layout_features = FEATURES
    options.name_IDs = ["*"]  # keep the copyright, licence and URL records
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["vhea", "vmtx", "VORG"]  # horizontal text only
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    # Keep the source's head.modified instead of stamping the time of the run: the same input
    # gives the same bytes.
    font.recalcTimestamp = False
    out = os.path.join(out_dir, out_name)
    font.save(out)
    with open(out, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    print(f"{out_name}: {len(unicodes)} code points, {len(font.getGlyphOrder())} glyphs, "
          f"{os.path.getsize(out)} bytes, sha256 {digest}")


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto"
    out_dir = sys.argv[2] if len(sys.argv) > 2 else HERE
    os.makedirs(out_dir, exist_ok=True)
    for face, choose in [("Regular", regular_set), ("Bold", bold_set)]:
        make(
            os.path.join(source, f"NotoSansCJK-{face}.ttc"),
            out_dir,
            f"NotoSansCJKsc-{face}.subset.otf",
            choose,
        )


if __name__ == "__main__":
    main()
