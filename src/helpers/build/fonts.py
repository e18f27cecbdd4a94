"""The book's Chinese web font: Noto Sans CJK SC cut down to the characters the book prints.

A reader whose machine has no Chinese font would otherwise see a box for every Chinese term.
At each build, :func:`web_font` collects every CJK character of the staged pages (executed
notebooks, Markdown pages, the bibliography) and cuts those glyphs, with the CJK punctuation
and full-width forms, out of Debian's ``fonts-noto-cjk`` (``NotoSansCJK-Regular.ttc``, its
Simplified Chinese face). The outlines are converted to TrueType (quadratic) curves, so
Chromium embeds the font in the PDF edition as a TrueType font under the name
``BookSansSC-Regular`` rather than as bitmaps-by-another-name (Type 3). The result, about
75 kB as WOFF2 for ~500 characters, is served as ``_static/fonts/book-sans-sc.woff2`` and
named first in the site's font stack for CJK code points only (``_static/fonts/book-fonts.css``,
``unicode-range``), so Latin text keeps the system font and a page without Chinese loads
nothing.

The font is a Modified Version under the SIL Open Font License 1.1 (``_static/fonts/OFL.txt``);
it is renamed ("Book Sans SC") as the license asks and keeps Adobe's and Google's copyright.
The cut is cached by character set in ``_build/cache/fonts/``.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_FACE = "Noto Sans CJK SC"
FAMILY = "Book Sans SC"
POSTSCRIPT_NAME = "BookSansSC-Regular"
FONT_FILE = "book-sans-sc.woff2"
TEXT_SUFFIXES = (".md", ".ipynb", ".bib", ".yml")

# The code points the font serves (also the CSS unicode-range): CJK radicals, symbols and
# punctuation, ideographs (extension A and the unified block), compatibility ideographs,
# vertical forms, full-width forms.
CJK_RANGES = [
    (0x2E80, 0x2FDF),
    (0x3000, 0x303F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
]
ALWAYS = [*range(0x3000, 0x3040), *range(0xFF01, 0xFF5F)]  # punctuation and full-width ASCII

_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_CJK = re.compile("[" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in CJK_RANGES) + "]")


class FontError(RuntimeError):
    """The web font cannot be made; the message says what to install."""


def is_cjk(char: str) -> bool:
    """True for a code point the book's font serves (see :data:`CJK_RANGES`)."""
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in CJK_RANGES)


def cjk_characters(texts) -> set[str]:
    """Every CJK character in ``texts`` (strings, bytes or paths); JSON ``\\uXXXX`` escapes count."""
    found: set[str] = set()
    for text in texts:
        if isinstance(text, Path):
            text = text.read_bytes()
        if isinstance(text, bytes):
            text = text.decode("utf-8", errors="replace")
        if "\\u" in text:
            text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
        found.update(_CJK.findall(text))
    return found


def unicode_range() -> str:
    """The CSS ``unicode-range`` value matching :data:`CJK_RANGES`."""
    return ", ".join(f"U+{lo:04X}-{hi:04X}" for lo, hi in CJK_RANGES)


def _face_index(path: Path, face: str) -> int:
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    for index, font in enumerate(collection.fonts):
        if font["name"].getDebugName(4) == face:
            return index
    raise FontError(f"{path} has no face named {face!r}")


def _to_truetype(font) -> None:
    """Replace the CFF outlines of ``font`` by TrueType (quadratic) outlines, in place."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
        "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth",
    ):  # fmt: skip
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font.sfntVersion = "\x00\x01\x00\x00"


def _rename(font) -> None:
    names = font["name"]
    for record in names.names:
        if record.nameID in (1, 4, 16):
            record.string = FAMILY
        elif record.nameID == 3:
            record.string = f"{POSTSCRIPT_NAME};subset of {NOTO_FACE}"
        elif record.nameID == 6:
            record.string = POSTSCRIPT_NAME


def subset_font(characters: set[str], source: Path = NOTO_CJK) -> bytes:
    """A WOFF2 font with the glyphs of ``characters`` (and :data:`ALWAYS`) from ``source``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    if not source.is_file():
        raise FontError(
            f"the book's Chinese web font is cut from Debian's fonts-noto-cjk ({source}), which is "
            "not installed: run `make system-packages` (apt-get, as root)"
        )
    font = TTFont(str(source), fontNumber=_face_index(source, NOTO_FACE))
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = []
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.name_languages = [0x409]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for c in characters} | set(ALWAYS)))
    subsetter.subset(font)
    _to_truetype(font)
    _rename(font)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def web_font(texts, cache: Path) -> bytes:
    """The subset font for every CJK character in ``texts``, cached in ``cache`` by character set."""
    return font_for(cjk_characters(texts), cache)


def font_key(characters: set[str]) -> str:
    """What the cut font is a function of: the character set, the source font and this format."""
    return hashlib.sha256(
        json.dumps([sorted(characters), str(NOTO_CJK), FONT_FILE, 2]).encode("utf-8")
    ).hexdigest()[:16]


def font_for(characters: set[str], cache: Path) -> bytes:
    """The subset font for ``characters`` (:func:`subset_font`), cached in ``cache`` by :func:`font_key`."""
    key = font_key(characters)
    cached = cache / f"book-sans-sc-{key}.woff2"
    if cached.exists():
        return cached.read_bytes()
    data = subset_font(characters)
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("book-sans-sc-*.woff2"):
        old.unlink()
    cached.write_bytes(data)
    return data


def covered(font_bytes: bytes) -> set[str]:
    """The characters a font (any format fontTools reads) has glyphs for."""
    from fontTools.ttLib import TTFont

    return {chr(code) for code in TTFont(io.BytesIO(font_bytes)).getBestCmap()}
