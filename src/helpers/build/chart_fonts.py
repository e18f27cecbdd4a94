"""The font the build measures chart text with: "Book Sans SC" for vl-convert (``src/helpers/book/fonts``).

A page draws a chart's text with two fonts it ships: Chinese characters in Book Sans SC (Noto Sans
CJK SC cut to the book's characters, :mod:`helpers.build.fonts`, served for the CJK code points
only) and everything else in DejaVu Sans. vl-convert, which lays the chart out at build time, takes
the first family of the chart's font list that it finds and, for a character that font lacks,
the first font on the machine that has it; and when that font has *every* character of the line
(Noto Sans CJK has Latin letters too), it measures the whole line in it. So a source line such as
"… report 2024Q1 (May 2024), §二(一); §四(三)" was measured in whatever Noto CJK face came first
(Noto Serif CJK JP here), whose Latin letters are about a tenth narrower than DejaVu's, and the
browser's line ran past the drawing's right edge.

The cure is a font that needs no fallback: for each weight, the DejaVu Sans subset the site ships
(``DejaVuSans[-Bold]-subset.ttf``, glyphs, advances and kerning unchanged) plus every CJK code
point Noto Sans CJK SC has (:data:`helpers.build.fonts.CJK_RANGES`), each mapped to a glyph
of Noto Sans CJK SC's advance (scaled from its 1,000 units to DejaVu's 2,048: an ideograph is one
em in both). It is named "Book Sans SC", the first family of the charts' font list
(:data:`helpers.book.charts.FONT`), so vl-convert finds it before any font of the machine; a
browser finds the site's Book Sans SC for the CJK code points and DejaVu Sans for the rest, which
advance exactly as this font does. Only vl-convert reads it; its Chinese glyphs are plain boxes.

``python -m helpers.build.chart_fonts`` writes the two files; ``tests/test_charts.py`` checks that
they hold what this module makes from the installed Noto Sans CJK and the DejaVu subsets.
DejaVu's licence allows modified copies under another name; Noto's (OFL) covers the copied
advance widths.
"""

from __future__ import annotations

import sys
from pathlib import Path

from helpers.build import fonts

FONT_DIR = Path(__file__).resolve().parents[1] / "book" / "fonts"
FAMILY = fonts.FAMILY
"""The family name: the site's Chinese web font's, so that one font list names both."""

FACES = {
    # weight: (the DejaVu subset it starts from, the measuring font it becomes, style name)
    "Regular": ("DejaVuSans-subset.ttf", "BookSansSC-ChartMetrics.ttf"),
    "Bold": ("DejaVuSans-Bold-subset.ttf", "BookSansSC-ChartMetrics-Bold.ttf"),
}


def cjk_advances(source: Path = fonts.NOTO_CJK) -> dict[int, int]:
    """Advance width (font units of Noto Sans CJK SC, 1,000 to the em) of every CJK code point it maps."""
    from fontTools.ttLib import TTFont

    if not source.is_file():
        raise fonts.FontError(
            f"the charts' measuring font is made from Debian's fonts-noto-cjk ({source}), which is not "
            "installed: run `make system-packages` (apt-get, as root)"
        )
    noto = TTFont(str(source), fontNumber=fonts._face_index(source, fonts.NOTO_FACE), lazy=True)
    hmtx = noto["hmtx"]
    return {cp: hmtx[glyph][0] for cp, glyph in noto.getBestCmap().items() if fonts.is_cjk(chr(cp))}


def measuring_font(latin: Path, advances: dict[int, int], style: str):
    """The DejaVu subset ``latin`` with every code point of ``advances`` added as a glyph of its advance.

    A code point of advance ``a`` (units of a 1,000-unit em) gets the glyph ``cjk.<a>``, of advance
    ``w = round(a * upm / 1000)`` in ``latin``'s units (``upm`` = 2,048 for DejaVu), whose outline is
    the box from 0 to ``w`` (vl-convert cannot measure a line of outline-less glyphs alone).
    """
    from fontTools.ttLib import TTFont

    font = TTFont(str(latin), recalcTimestamp=False)
    upm = font["head"].unitsPerEm
    order = font.getGlyphOrder()
    glyf, hmtx = font["glyf"], font["hmtx"]
    names = {}
    for advance in sorted(set(advances.values())):
        name = f"cjk.{advance}"
        order.append(name)
        width = round(advance * upm / 1000)
        glyf.glyphs[name] = _box(width, round(0.7 * upm))
        hmtx.metrics[name] = (width, 0)
        names[advance] = name
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap.update({cp: names[a] for cp, a in advances.items() if cp not in table.cmap})
    for table in ("MATH",):  # DejaVu's maths table names glyphs; it plays no part in measuring
        if table in font:
            del font[table]
    _rename(font, style)
    return font


def _box(width: int, height: int):
    """A glyph whose outline is the rectangle (0, 0)-(``width``, ``height``); empty when ``width`` is 0."""
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    if width > 0:
        pen.moveTo((0, 0))
        pen.lineTo((0, height))
        pen.lineTo((width, height))
        pen.lineTo((width, 0))
        pen.closePath()
    return pen.glyph()


def _rename(font, style: str) -> None:
    postscript = f"BookSansSC-ChartMetrics{'-' + style if style != 'Regular' else ''}"
    names = font["name"]
    names.names = [n for n in names.names if n.nameID not in (16, 17, 21, 22)]
    for record in names.names:
        if record.nameID == 1:
            record.string = FAMILY
        elif record.nameID == 2:
            record.string = style
        elif record.nameID == 3:
            record.string = f"{postscript};measuring font for the book's charts"
        elif record.nameID == 4:
            record.string = f"{FAMILY} {style}" if style != "Regular" else FAMILY
        elif record.nameID == 6:
            record.string = postscript
    names.setName(
        "Measures chart text at build time: DejaVu Sans (Latin) and the advances of Noto Sans CJK SC "
        "(CJK code points, drawn as boxes). Not for drawing.",
        10,
        3,
        1,
        0x409,
    )


def write(folder: Path = FONT_DIR) -> list[Path]:
    """Make both measuring fonts in ``folder`` from its DejaVu subsets and the installed Noto Sans CJK."""
    advances = cjk_advances()
    written = []
    for style, (latin, target) in FACES.items():
        font = measuring_font(folder / latin, advances, style)
        font.save(str(folder / target))
        written.append(folder / target)
    return written


if __name__ == "__main__":  # pragma: no cover
    for path in write():
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    sys.exit(0)
