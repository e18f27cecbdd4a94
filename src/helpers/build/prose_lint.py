"""Find source figures typed into chapter prose (they must be glued from ``data/``).

``python -m helpers.build.prose_lint [PAGE …]`` reads each page (default: every
``chapters/*.md`` and ``back/*.md``), keeps its prose (drops the front matter, code cells, fenced blocks other
than captioned figure/table directives' captions, directive options, inline code and MyST
roles such as ``{glue:text}`…```), and reports each number in that prose that equals a value
of a numeric column in ``data/*.csv``, naming the page and line::

    chapters/housing_market.md:383: 41.0 equals a value in data/ (housing_rent_capitalisation.csv); glue it

Excepted, because they are labels and not source figures: years and dates (``2024``,
``2024Q1``, ``1H25``, ``2025-10``, a day or month beside a month name), figure and table
numbers (``图表22``, ``Figure 3``, ``§一.2``), names that contain a number (``70 cities``, the
``50-city`` rent index, the ``5-year LPR``), the constant 100, and small counts: whole numbers up
to :data:`SMALL` typed without decimals ("two documents", "step 3", "the 4 chapters").

A small whole number is a measured quantity, and checked like any other, when a unit follows it
or a currency sign precedes it (:data:`UNIT_WORDS`, chosen from the unit codes of ``data/``):
``5 %``, ``5％``, ``5 per cent``, ``3 percentage points``, ``3pp``, ``6 bp``, ``6 basis points``,
``3个百分点``, ``2倍``, ``2 times``, ``2x``, ``7 years``, ``5-year``, ``3年``, ``6 months``,
``2 quarters``, ``5 days``, ``3 yuan``, ``3元``, ``3万``, ``3亿``, ``3万亿``, ``3 trillion``,
``5 bn``, ``4 square metres``, ``2 index points``, ``¥5``, ``US$3``, ``RMB 2``. So is a whole number
typed with decimals (``5.0``): a count has none.

A number that is not a source figure although it equals one (a parameter's allowed range, say)
is allowed by a MyST comment before its paragraph (it lasts to the next blank line, or, put just
before a figure, to the end of its caption; say why in parentheses)::

    % prose-lint: allow 80 50 (the parameter's allowed range)

The helpers, and the pages' code cells, write reader-facing text too (chart titles, axis
labels, tooltips, legend entries, table row labels, verdict sentences, ledger notes, source
lines). ``python -m helpers.build.prose_lint src/helpers/chapters/cycle/figures.py`` (default,
with no argument: every page, its code cells included, and every module under
:data:`HELPER_DIRS`) reads each module's syntax tree and reports a number typed in a string (or
straight into an f-string field) that equals a value in ``data/``, naming file and line::

    src/helpers/chapters/cycle/figures.py:161: 150 typed in a string equals a value in data/ (…); take it from the data

The check reads the source, not the built pages, because only the source tells a typed figure
from one formatted out of the data: on the page both read "150 %". Docstrings, format specs and
regular-expression patterns are not reader text. A right number that equals a data value is
allowed by a comment on the line before the string or on its lines:
``# prose-lint: allow 12 (months in a year)``.
"""

from __future__ import annotations

import ast
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SMALL = 10
"""Whole numbers from 0 to SMALL, typed without decimals, are not checked (ordinals, list items,
small counts) unless their context makes them a measured quantity (:data:`MEASURED_AFTER`,
:data:`MEASURED_BEFORE`)."""

_SPACE = r"[\s\u00a0\u2009\u202f]*"
UNIT_WORDS = {
    "share (pct)": [r"%", r"％", r"‰", r"per[\s-]?cent\b", r"pct\b"],
    "share change (pp, bp)": [
        r"(?:percentage[\s-]+|basis[\s-]+)?points?\b",
        r"(?:pp|ppts?|bps?)\b",
        r"个?百分点",
        r"个?基点",
    ],
    "multiple": [r"倍", r"times\b", r"[-‑]?fold\b", r"x\b", r"×"],
    "time (years, quarters, months, days)": [
        r"[-‑]?(?:years?|yrs?|quarters?|months?|days?)\b",
        r"年(?![代级])",
        r"个季度",
        r"个月",
        r"天",
    ],
    "money (CNY, USD)": [
        r"(?:yuan|RMB|CNY|USD|(?:US\s+)?dollars?)\b",
        r"元",
        r"万亿|亿|百万|万",
        r"(?:trillion|billion|million|thousand|trn|tn|bn|mn)\b",
    ],
    "area (m2)": [r"square\s+met(?:re|er)s?\b", r"sq\.?\s*m\b", r"m²", r"m2\b", r"㎡", r"平方米|平米"],
    "index": [r"index\s+points?\b"],
}
"""The words after a number that make it a measured quantity, by the dimension of the unit codes
``data/`` uses (``helpers.book.units.UNITS``): ``pct``; ``pp`` and ``bp``; ``multiple``;
``years``, ``quarters``, ``months`` and ``days``; the money codes (``CNY``, ``CNY_10k``, ``CNY_mn``,
``CNY_100m``, ``CNY_bn``, ``CNY_trn``, ``USD_100m``: yuan, 元, 万, 百万, 亿, 万亿, million, billion,
trillion); the area codes (``m2``, ``m2_10k``, ``m2_100m``) and index points. A bare ``points`` is
a share change (the book says "fell 0.5 points" for percentage points). The codes ``count``
and ``homes`` are not units a word gives away: prose names what is counted with any noun ("two
documents", "the 4 chapters", "5 banks"), so a small number before a noun stays a count (a scaled
count such as 3万套 is caught by its 万)."""

MEASURED_AFTER = re.compile(
    _SPACE + "(?:" + "|".join(w for ws in UNIT_WORDS.values() for w in ws) + ")", re.IGNORECASE
)
"""A unit right after a number: ``5 %``, ``3 percentage points``, ``6bp``, ``2 times``, ``7 years``,
``3万亿``."""

MEASURED_RANGE = re.compile(
    _SPACE + r"(?:[–~-]|to|and|or)" + _SPACE + r"[-−]?\d+(?:\.\d+)?(?=" + MEASURED_AFTER.pattern + ")",
    re.IGNORECASE,
)
"""The first end of a range whose second end has the unit: ``5–7 %``, ``3 to 5 years``, ``2 and 3 bp``."""

MEASURED_BEFORE = re.compile(r"(?:[¥￥$€£]|US\$|RMB|CNY|USD)" + _SPACE + r"$")
"""A currency sign right before a number: ``¥5``, ``US$ 3``, ``RMB 2``."""

_FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
_ROLE = re.compile(r"\{[a-zA-Z0-9:_-]+\}`[^`]*`")
_CODE = re.compile(r"`[^`]*`")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[^>]*>")
_COMMENT = re.compile(r"<!--.*?-->")
_LABEL = re.compile(
    r"(?:图表|圖表|Figure|Fig\.|Table|Chart|Chapter|§|para(?:graph)?|note|section)\s*[\d一二三四五六七八九十.()（）]+"
    r"(?:[–-]\d+)?"
    r"|\(\d+\)"
    r"|\b\d+(?:\.\d+)?\s*%[- ]?(?:prepayment\s+)?columns?\b",
    re.IGNORECASE,
)
"""Labels: figure, table, chapter and section numbers, list markers ``(2)``, and a printed table's
column named by its header (the ``0 % column`` of a prepayment table)."""
_DATE = re.compile(
    r"\b(?:19|20)\d{2}[–-](?:19|20)?\d{2}\b(?![-–/]\d)"
    r"|\b(?:19|20)\d{2}(?:Q[1-4]|H[12]|[-–/](?:0?[1-9]|1[0-2])(?:[-–/]\d{1,2})?)?\b"
    r"|\b[1-4]Q\d{2}\b|\b[12]H\d{2}\b|\bQ[1-4]\b|\b\d{2}E\b"
    r"|\b\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2}\b"
    r"|\d{1,2}月(?:\d{1,2}日)?|\d{4}年"
)
_GLUED_UNIT = r"(?:bps?|pp|ppts?|pct|x|bn|mn|trn|tn|yrs?|m2)\b"
"""Units written straight after a number (``6bp``, ``3pp``, ``2x``, ``5bn``): the number is still read."""
_NUMBER = re.compile(
    rf"(?<![A-Za-z0-9_.])[-−]?\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?![0-9])(?!(?!{_GLUED_UNIT})[A-Za-z_])"
    rf"|(?<![A-Za-z0-9_.])[-−]?\d+(?:\.\d+)?(?!\d)(?!\.\d)(?!(?!{_GLUED_UNIT})[A-Za-z_])"
)
_NAME = re.compile(
    r"\b\d+[- ](?:large and medium-sized )?cit(?:y|ies)\b|\d+\s*个?(?:大中)?城"
    r"|\b\d+[- ]year(?:-and-above)? LPR\b|\d+年期(?:以上)?\s*LPR"
)
CONSTANTS = {100.0}
"""Numbers that are arithmetic constants, not figures (100 in "100 minus the LTV")."""


DIRECTIVE_OPEN, DIRECTIVE_CLOSE = "\x00open", "\x00close"
"""Markers :func:`prose_lines` yields where a directive with a prose body (a caption) opens and closes."""


def prose_lines(text: str):
    """``(line_number, prose)`` for each line of a MyST page that is reader-facing prose.

    A directive whose body is prose (a figure's caption) is framed by ``DIRECTIVE_OPEN`` and
    ``DIRECTIVE_CLOSE`` lines.
    """
    lines = text.split("\n")
    i = 0
    # front matter
    if lines and lines[0].strip() == "---":
        i = 1
        while i < len(lines) and lines[i].strip() != "---":
            i += 1
        i += 1
    fence = None  # (marker, keep_body)
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        m = _FENCE.match(stripped)
        if fence is None and m:
            marker, info = m.group(1), m.group(2).strip()
            # directives whose body is prose (captions, admonitions); code and others are skipped
            keep = bool(
                re.match(
                    r"\{(glue:figure|figure|table|note|admonition|warning|tip|important|margin|epigraph)\}",
                    info,
                )
            )
            fence = (marker[0], len(marker), keep)
            if keep:
                yield i + 1, DIRECTIVE_OPEN
            i += 1
            continue
        if fence is not None:
            if stripped.startswith(fence[0] * fence[1]) and set(stripped) == {fence[0]}:
                if fence[2]:
                    yield i + 1, DIRECTIVE_CLOSE
                fence = None
            elif fence[2] and not stripped.startswith(":"):
                yield i + 1, line
            i += 1
            continue
        if stripped.startswith(("+++", "(")) and stripped.endswith((")=", "+++")):
            i += 1
            continue
        yield i + 1, line
        i += 1


def _numbers(prose: str):
    """``(token, measured)`` for each number a prose line types, labels, dates, roles and inline code
    removed; ``measured`` when a unit follows it (or the other end of its range: ``5–7 %``) or a
    currency sign precedes it."""
    text = _COMMENT.sub(" ", prose)
    text = _ROLE.sub(" ", text)
    text = _CODE.sub(" ", text)
    text = _LINK_TARGET.sub(" ", text)
    text = _LABEL.sub(" ", text)
    text = _NAME.sub(" ", text)
    text = _DATE.sub(" ", text)
    for m in _NUMBER.finditer(text):
        measured = bool(
            MEASURED_AFTER.match(text, m.end())
            or MEASURED_RANGE.match(text, m.end())
            or MEASURED_BEFORE.search(text[: m.start()])
        )
        yield m.group(0), measured


def numbers_in(prose: str) -> list[str]:
    """The numbers a prose line types, with labels, dates, roles and inline code removed."""
    return [token for token, _ in _numbers(prose)]


def is_small_count(token: str, measured: bool = False) -> bool:
    """A whole number from 0 to :data:`SMALL` typed without decimals and without a unit or currency
    sign: an ordinal, a list item or a small count ("two documents", "step 3"), not a figure.

    ``5 %``, ``3 pp``, ``6bp``, ``2 times``, ``7 years``, ``¥5`` are measured quantities, and ``5.0``
    is typed as a figure: those are checked like any number.
    """
    return not measured and re.fullmatch(r"[-−]?\d+", token) is not None and abs(as_number(token)) <= SMALL


def figures_in(prose: str) -> list[str]:
    """The numbers of a prose line the lint checks against ``data/``: :func:`numbers_in` without
    small counts (:func:`is_small_count`) and :data:`CONSTANTS`."""
    return [
        token
        for token, measured in _numbers(prose)
        if not is_small_count(token, measured) and abs(as_number(token)) not in CONSTANTS
    ]


def as_number(token: str) -> float:
    return float(token.replace(",", "").replace("−", "-"))


def data_values(data_dir: Path | None = None) -> dict[float, set[str]]:
    """Every number in a numeric-looking cell of ``data/*.csv`` → the files it occurs in.

    A cell counts when it parses as a number; negative values are also recorded by their
    magnitude (prose says "fell 0.5 %" for a printed −0.5).
    """
    data_dir = data_dir or ROOT / "data"
    out: dict[float, set[str]] = {}
    for path in sorted(data_dir.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            for row in reader:
                for col, cell in row.items():
                    if col in {"source", "locator", "quote", "note", "year", "period", "date", "cohort"}:
                        continue
                    try:
                        v = float(str(cell).replace(",", ""))
                    except (TypeError, ValueError):
                        continue
                    for key in {round(v, 9), round(abs(v), 9)}:
                        out.setdefault(key, set()).add(path.name)
    return out


_ALLOW = re.compile(r"^\s*%\s*prose-lint:\s*allow\s+(?P<numbers>.+)$")


PAGE_DIRS = ("chapters", "back")
"""Where the pages with prose live: the chapters and the appendices."""


def pages_to_lint() -> list[Path]:
    """Every page under :data:`PAGE_DIRS`."""
    return [p for d in PAGE_DIRS for p in sorted((ROOT / d).glob("*.md"))]


def lint(paths=None, values=None) -> list[str]:
    """Problems (``page:line: …``), one per typed number equal to a data value in a page's prose or
    in a string of its code cells (:func:`typed_numbers_in_cells`); empty when clean."""
    pages = [Path(p) for p in paths] if paths else pages_to_lint()
    values = data_values() if values is None else values
    problems = []
    for page in pages:
        name = page.resolve().relative_to(ROOT) if page.resolve().is_relative_to(ROOT) else page
        allowed: set[float] = set()
        in_directive = False
        for lineno, prose in prose_lines(page.read_text(encoding="utf-8")):
            if prose == DIRECTIVE_OPEN:
                in_directive = True  # an allowance just before a figure covers its whole caption
                continue
            if prose == DIRECTIVE_CLOSE:
                in_directive, allowed = False, set()
                continue
            m = _ALLOW.match(prose)
            if m:
                allowed |= {
                    abs(as_number(t))
                    for t in re.findall(r"[-−]?\d+(?:\.\d+)?", m.group("numbers").split("(")[0])
                }
                continue
            if not prose.strip():
                if not in_directive:
                    allowed = set()  # an allowance lasts until the end of its paragraph
                continue
            for token in figures_in(prose):
                v = as_number(token)
                if abs(v) in allowed:
                    continue
                files = values.get(round(v, 9)) or values.get(round(abs(v), 9))
                if files:
                    problems.append(
                        f"{name}:{lineno}: {token} equals a value in data/ ({', '.join(sorted(files)[:3])}); glue it"
                    )
        problems += typed_numbers_in_cells(page, values)
    return problems


HELPER_DIRS = ("src/helpers/chapters", "src/helpers/book")
"""Where the helpers that write reader-facing text live: chart titles, axis labels, tooltips, legend
entries, table row labels, captions, verdict sentences and ledger notes."""

_CODE_ALLOW = re.compile(r"#\s*prose-lint:\s*allow\s+(?P<numbers>[^(\n]+)")


def _not_reader_text(nodes) -> set[int]:
    """Ids of string constants that never reach a reader: docstrings, format specs of f-string
    fields (``:.1f``) and patterns handed to :mod:`re` (``re.compile(r"(?:19|20)\\d\\d")``)."""
    skip: set[int] = set()
    for node in nodes:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skip.add(id(node.value))
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            skip |= {id(n) for n in ast.walk(node.format_spec)}
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.args
        ):
            skip |= {id(n) for n in ast.walk(node.args[0])}
    return skip


def reader_strings(tree):
    """``(node, text)`` for each piece of text in a module that may reach a reader.

    Every string constant except docstrings, format specs and regular-expression patterns. An
    f-string is one text: its literal parts, every number typed straight into a field
    (``f"{150} %"`` types 150 as surely as ``"150 %"`` does) and ``{}`` for any other field, so a
    number keeps the unit after it (``f"{x:.1f} bn, up 5 %"``). ``node`` is the whole string, for
    its lines.
    """
    nodes = list(ast.walk(tree))
    skip = _not_reader_text(nodes)
    for node in nodes:
        if isinstance(node, ast.JoinedStr) and id(node) not in skip:
            text = []
            for part in node.values:
                skip.add(id(part))
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    text.append(part.value)
                elif (
                    isinstance(part, ast.FormattedValue)
                    and isinstance(part.value, ast.Constant)
                    and isinstance(part.value.value, (int, float))
                    and not isinstance(part.value.value, bool)
                ):
                    text.append(repr(part.value.value))
                else:
                    text.append("{}")
            yield node, "".join(text)
    for node in nodes:
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node, node.value


def _allowed_in_code(lines: list[str], first: int, last: int) -> set[float]:
    """Numbers allowed by ``# prose-lint: allow N … (why)``: a comment line just before a string, or a
    comment on one of its lines."""
    allowed: set[float] = set()
    before = [lines[first - 2]] if first >= 2 and lines[first - 2].lstrip().startswith("#") else []
    for text in before + lines[first - 1 : last]:
        m = _CODE_ALLOW.search(text)
        if m:
            allowed |= {abs(as_number(t)) for t in re.findall(r"[-−]?\d+(?:\.\d+)?", m.group("numbers"))}
    return allowed


def _line_of(lines: list[str], token: str, first: int, last: int) -> int:
    """The line of a multi-line string on which ``token`` is typed (its first line if not found)."""
    for n in range(first, last + 1):
        if n - 1 < len(lines) and re.search(rf"(?<![\d.]){re.escape(token)}(?![\d])", lines[n - 1]):
            return n
    return first


def _display(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def typed_numbers_in_code(path: Path, values=None) -> list[str]:
    """Text in a Python module that types a number equal to a value in ``data/``, as ``file:line: …``.

    Reader-facing text written by helpers (chart titles, labels, tooltips, table row labels, verdict
    sentences, ledger notes) must take source figures from the data: ``f"{floor:.0f} % cover"``
    passes, ``"150 % cover"`` does not. What :func:`reader_strings` yields is checked as prose is
    (:func:`figures_in`): dates, figure and table numbers, names with a number, small counts and
    :data:`CONSTANTS` pass; a small whole number with a unit (``"5 %"``, ``"6 bp"``) does not. A number that is right although it equals a data value (a paragraph
    number in a locator, the 12 months of a year in a formula) is allowed by a comment on the line
    before the string or on one of its lines: ``# prose-lint: allow 12 (months in a year)``.
    """
    source = Path(path).read_text(encoding="utf-8")
    return _typed_in_source(source, _display(Path(path)), 0, data_values() if values is None else values)


def _typed_in_source(source: str, name: str, offset: int, values) -> list[str]:
    """:func:`typed_numbers_in_code` on ``source``, reported as ``name:line`` with ``offset`` added."""
    lines = source.split("\n")
    tree = ast.parse(source)
    problems = []
    for whole, text in reader_strings(tree):
        first, last = whole.lineno, getattr(whole, "end_lineno", None) or whole.lineno
        allowed = None
        for token in figures_in(text):
            v = as_number(token)
            files = values.get(round(v, 9)) or values.get(round(abs(v), 9))
            if not files:
                continue
            if allowed is None:
                allowed = _allowed_in_code(lines, first, last)
            if abs(v) in allowed:
                continue
            problems.append(
                f"{name}:{offset + _line_of(lines, token, first, last)}: {token} typed in a string "
                f"equals a value in data/ ({', '.join(sorted(files)[:3])}); take it from the data"
            )
    return sorted(set(problems), key=lambda p: (int(p[len(name) + 1 :].split(":")[0]), p))


_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```\s*$", re.S | re.M)


def typed_numbers_in_cells(page: Path, values=None) -> list[str]:
    """:func:`typed_numbers_in_code` on the code cells of a MyST page (its strings reach readers too:
    a chart's source line, a table's label), reported with the page's own line numbers. A cell's
    options (``:tags: …``) and IPython magics are read as blank lines."""
    values = data_values() if values is None else values
    text = Path(page).read_text(encoding="utf-8")
    problems = []
    for m in _CELL.finditer(text):
        lines = m.group(1).split("\n")
        k = 0
        while k < len(lines) and lines[k].startswith(":"):
            lines[k], k = "", k + 1
        code = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in lines)
        offset = text.count("\n", 0, m.start(1))
        try:
            problems += _typed_in_source(code, _display(Path(page)), offset, values)
        except SyntaxError as err:
            problems.append(
                f"{_display(Path(page))}:{offset + (err.lineno or 1)}: code cell does not parse: {err.msg}"
            )
    return problems


def helper_modules() -> list[Path]:
    """Every module under :data:`HELPER_DIRS`."""
    return sorted(p for d in HELPER_DIRS for p in (ROOT / d).rglob("*.py"))


def lint_helpers(paths=None, values=None) -> list[str]:
    """Problems in the helpers' reader-facing strings (``file:line: …``); empty when clean."""
    values = data_values() if values is None else values
    problems = []
    for path in [Path(p) for p in paths] if paths else helper_modules():
        problems += typed_numbers_in_code(path, values)
    return problems


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    pages = [a for a in args if not a.endswith(".py")]
    modules = [a for a in args if a.endswith(".py")]
    problems = []
    if pages or not args:
        problems += lint(pages or None)
    if modules or not args:
        problems += lint_helpers(modules or None)
    print("\n".join(problems) if problems else "chapter prose and helpers' strings: no typed source figure")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
