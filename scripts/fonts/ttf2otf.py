#!/usr/bin/env python3
"""Rewrites a TrueType font with CFF (PostScript) outlines: same glyphs,
glyph order, character map, advance widths, vertical metrics, names and
OpenType layout tables; TrueType hinting is dropped (Fyne does not hint).

Why (ui/theme/fonts/README.md): Fyne's font parser reads every TrueType
glyph outline into memory when it opens a font, and it opens the theme font
once per text style; CFF outlines stay as bytes and are read per glyph
when drawn. For Droid Sans Fallback that is 3.5 MB kept per parse instead
of 13.5 MB.

A quadratic curve is exactly a cubic one, so the outlines do not change.

Then the glyphs that no character and no layout rule reaches are dropped
(fontTools' subsetter, keeping every character of the character map and
every layout feature): Droid Sans Fallback carries about 20,900 of them,
42% of its glyphs, which Fyne would otherwise index on every parse.

Usage: python3 scripts/fonts/ttf2otf.py IN.ttf OUT.otf
Needs fontTools (Debian: python3-fonttools); the result is committed, so
the build does not need it.
"""
import sys

from fontTools import subset
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont

# Name records kept (Windows platform): copyright, family, subfamily,
# unique id, full name, version, PostScript name, trademark, licence,
# licence URL.
KEPT_NAMES = (0, 1, 2, 3, 4, 5, 6, 7, 13, 14)


def convert(src_path, dst_path):
    src = TTFont(src_path)
    order = src.getGlyphOrder()
    glyphs = src.getGlyphSet()
    metrics = src["hmtx"].metrics

    charstrings = {}
    for name in order:
        pen = T2CharStringPen(metrics[name][0], glyphs)
        glyphs[name].draw(pen)
        charstrings[name] = pen.getCharString()

    names = {n.nameID: n.toUnicode() for n in src["name"].names if n.platformID == 3}
    ps_name = names[6]

    fb = FontBuilder(src["head"].unitsPerEm, isTTF=False)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap(src.getBestCmap())
    fb.setupCFF(ps_name, {"FullName": names.get(4, ps_name)}, charstrings, {})
    fb.setupHorizontalMetrics(metrics)
    hhea = src["hhea"]
    fb.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap)
    fb.setupNameTable({k: v for k, v in names.items() if k in KEPT_NAMES})
    os2 = src["OS/2"]
    fb.setupOS2(
        sTypoAscender=os2.sTypoAscender, sTypoDescender=os2.sTypoDescender,
        sTypoLineGap=os2.sTypoLineGap, usWinAscent=os2.usWinAscent,
        usWinDescent=os2.usWinDescent, fsType=os2.fsType, achVendID=os2.achVendID,
        ulUnicodeRange1=os2.ulUnicodeRange1, ulUnicodeRange2=os2.ulUnicodeRange2,
        ulUnicodeRange3=os2.ulUnicodeRange3, ulUnicodeRange4=os2.ulUnicodeRange4,
        ulCodePageRange1=getattr(os2, "ulCodePageRange1", 0),
        ulCodePageRange2=getattr(os2, "ulCodePageRange2", 0),
        usWeightClass=os2.usWeightClass, usWidthClass=os2.usWidthClass,
        sxHeight=getattr(os2, "sxHeight", 0), sCapHeight=getattr(os2, "sCapHeight", 0))
    fb.setupPost()
    for tag in ("GDEF", "GSUB", "GPOS"):
        if tag in src:
            fb.font[tag] = src[tag]
    fb.save(dst_path)
    drop_unreachable(dst_path)


def drop_unreachable(path):
    """Keeps every mapped character and layout feature, and only the glyphs
    they reach; outlines, metrics and names are unchanged."""
    font = TTFont(path)
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.notdef_glyph = True
    opts.notdef_outline = True
    opts.recommended_glyphs = True
    opts.glyph_names = True
    opts.legacy_kern = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=font.getBestCmap().keys())
    sub.subset(font)
    font.save(path)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: ttf2otf.py IN.ttf OUT.otf")
    convert(sys.argv[1], sys.argv[2])
