"""A Sphinx extension that keeps every page's scripts off the critical path.

Jupyter Book adds every ``.js`` file under ``_static`` to every page as a plain, render-blocking
``<script>`` in the head, besides those ``_config.yml`` lists. This extension (listed in
``_config.yml``) runs after that and

* drops ``vega-bundle.js``: ``book-charts.js`` loads it only when a reader asks for a live chart;
* keeps one entry per file, and gives every script of the book's own ``defer`` (they act on the
  finished document, so deferring changes nothing but the first paint);
* defers the scripts Sphinx and the theme's extensions add (copy button, toggles, tabs,
  highlighting), all but ``documentation_options.js``, which inline scripts in the head use;
* drops the search tools the theme writes into every page's head (the search page itself keeps
  its own): search-as-you-type is off, so they are needed only on the search page;
* after the build, joins the ten stylesheets every page links (the theme's 397 kB among them) into
  one, ``_static/book-site-<digest>.css``, keeping only the rules whose classes and ids occur in
  the site's pages or scripts (:func:`purge_css`), so a page waits for one small stylesheet
  before its first paint instead of ten; inlines ``documentation_options.js`` (400 bytes the
  head's inline scripts need) instead of blocking on it;
* mends markup of the theme and its extensions that fails Lighthouse's accessibility rules
  (:func:`mend_markup`);
* keeps what the first paint does not need off its path (:func:`off_the_paint_path`): the
  theme's ``<link rel="preload">`` of its two scripts (which raised them to high priority, ahead
  of the page's text; they still load, deferred), a second ``<script>`` for a file already
  loaded; and the Chinese web font, 87 kB, is fetched at low priority (a ``preload`` with
  ``fetchpriority="low"``, on the pages that print Chinese) instead of at the highest priority
  when the first layout finds a Chinese character;
* cuts Font Awesome's solid font (156 kB, ~1,400 icons) to the icons the stylesheet draws
  (:func:`subset_icon_fonts`: about 3 kB).

Why these: Lighthouse's simulated first paint (its "lantern" model of a phone on slow 4G) counts
every high-priority request that ended before the observed first paint as if the paint had
waited for it: the two fonts and the preloaded scripts cost 1–2 s of simulated first paint.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import posixpath
import re
import shutil
from pathlib import Path

LAZY = {"vega-bundle.js"}
"""Scripts loaded on demand by another script, never from the page head."""


def defer_scripts(app, config) -> None:
    """Rewrite ``config.html_js_files``: lazy scripts out, duplicates merged, the rest deferred."""
    seen: dict[str, dict] = {}
    for entry in config.html_js_files:
        filename, attrs = (entry, {}) if isinstance(entry, str) else entry
        if filename in LAZY:
            continue
        merged = {**seen.get(filename, {}), **dict(attrs)}
        if "async" not in merged:
            merged["defer"] = "defer"
        seen[filename] = merged
    config.html_js_files = [(name, attrs) for name, attrs in seen.items()]


KEEP_BLOCKING = {"_static/documentation_options.js"}
_SEARCH_SCRIPT = re.compile(
    r'<script src="([^"]*(?:searchtools|language_data|searchindex)\.js[^"]*)"></script>'
)


def defer_page_scripts(app, pagename, templatename, context, doctree) -> None:
    """Give ``defer`` to every script file of the page that is neither async nor needed inline."""
    from sphinx.builders.html._assets import _JavaScript

    if pagename == "search":
        return  # the search page runs Sphinx's search inline, with doctools loaded first
    scripts = []
    for js in context.get("script_files", []):
        attrs = dict(getattr(js, "attributes", {}) or {})
        name = str(getattr(js, "filename", "") or "")
        if name and name not in KEEP_BLOCKING and "async" not in attrs and "defer" not in attrs:
            js = _JavaScript(name, priority=js.priority, **{**attrs, "defer": "defer"})
        scripts.append(js)
    context["script_files"] = scripts


def drop_search_scripts(text: str, is_search_page: bool) -> str:
    """Remove the search tools (and the 35 kB search index) from the head of every page but the
    search page: search-as-you-type is off, so a search always goes to the search page, which
    loads them itself. Kept, they cost every page their download, parsing and compilation."""
    if is_search_page:
        return text
    return _SEARCH_SCRIPT.sub("", text)


# ----------------------------------------------------------------------------- accessibility

_MENDS = [
    # The search button's aria-label ("Search") is not its visible text ("Search Ctrl+K"):
    # label-content-name-mismatch. Without it the button is named by what it shows.
    (re.compile(r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="Search"'), r"\1"),
    # MyST-NB names the toggle of a hidden code cell "Toggle hidden content" while it shows
    # "Show code cell source": the same mismatch. Its visible text names it.
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
    # sphinxcontrib-bibtex: role="doc-biblioentry" is deprecated in ARIA 1.2 and not allowed on a
    # div; the list role on the bibliography's div then has no list items.
    (re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"'), r"\1"),
    (re.compile(r'(<div class="citation-list"[^>]*?) role="list"'), r"\1"),
    # Font Awesome icons are private-use glyphs of a web font: hidden from screen readers (the
    # controls around them carry their own names). a11y-fixes.js does the same for icons added later.
    (
        re.compile(r'<i class="(fa-[^"]*|fa[srb] [^"]*)"(?![^>]*aria-hidden)'),
        r'<i class="\1" aria-hidden="true"',
    ),
]


def mend_markup(text: str) -> str:
    """The page with the theme's and extensions' accessibility faults mended (see ``_MENDS``)."""
    for pattern, replacement in _MENDS:
        text = pattern.sub(replacement, text)
    return text


# ----------------------------------------------------------------------------- the first paint's path

_PRELOAD_SCRIPT = re.compile(r'<link rel="preload" as="script" href="[^"]*"\s*/?>\s*')
_SCRIPT_SRC = re.compile(r'<script\b[^>]*\bsrc="([^"?]+)[^"]*"[^>]*>\s*</script>\s*')
_BUNDLE_LINK = re.compile(r'<link rel="stylesheet" href="([^"]*)_static/book-site-[0-9a-f]+\.css" />\n?')
_CJK_TEXT = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)
_NOT_SHOWN = re.compile(r"<(script|style|template)\b.*?</\1>", re.S)
CJK_FONT = "fonts/book-sans-sc.woff2"
"""The book's Chinese web font under ``_static`` (cut by ``helpers.build.fonts``)."""


def shows_chinese(text: str) -> bool:
    """True when the page's body has Chinese text a reader sees (scripts and styles not counted)."""
    start = text.find("<body")
    body = _NOT_SHOWN.sub("", text[start if start >= 0 else 0 :])
    return bool(_CJK_TEXT.search(_TAGS.sub("", body)))


def off_the_paint_path(text: str) -> str:
    """The page without what its first paint need not wait for (see the module's docstring):
    the theme's script preloads dropped, a script file linked twice linked once, and, on a page
    that prints Chinese, the Chinese font preloaded at low priority after the stylesheet.

    Lighthouse's simulated first paint counts every request of high priority that ended before
    the observed paint; a preloaded script is high, a font the layout asks for is the highest.
    A low-priority preload is neither, and the ``@font-face`` rule takes the font from it."""
    text = _PRELOAD_SCRIPT.sub("", text)
    seen: set[str] = set()

    def once(match):
        src = match.group(1)
        if src in seen:
            return ""
        seen.add(src)
        return match.group(0)

    text = _SCRIPT_SRC.sub(once, text)
    link = _BUNDLE_LINK.search(text)
    if link and CJK_FONT not in text[: link.end() + 200] and shows_chinese(text):
        preload = (
            f'<link rel="preload" href="{link.group(1)}_static/{CJK_FONT}" as="font" '
            'type="font/woff2" crossorigin fetchpriority="low" />\n'
        )
        text = text[: link.end()] + preload + text[link.end() :]
    return text


_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")
_FA_FAMILY = re.compile(r"font-family\s*:\s*['\"]?Font Awesome", re.I)
_WOFF2_URL = re.compile(r'url\("([^"]+\.woff2)"\)')
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def icon_code_points(css: str) -> set[int]:
    """The private-use code points (Font Awesome's icons) the stylesheet draws, escaped or not."""
    text = _CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if int(m.group(1), 16) < 0x110000 else "", css)
    return {ord(c) for c in _PRIVATE_USE.findall(text)}


def subset_icon_fonts(css: str, static: Path) -> str:
    """``css`` whose Font Awesome ``@font-face`` rules load a copy of their WOFF2 font cut to
    the icons ``css`` draws (:func:`icon_code_points`), under ``_static/fonts/icons-<digest>/``
    with the original file name; the TrueType fallback is dropped (every browser that runs the
    theme reads WOFF2). The original fonts stay where the theme put them."""
    from fontTools import subset

    points = sorted(icon_code_points(css))

    def cut(match):
        rule = match.group(0)
        if not _FA_FAMILY.search(rule):
            return rule
        found = _WOFF2_URL.search(rule)
        source = static / found.group(1) if found else None
        if source is None or not source.is_file():
            return rule
        data = source.read_bytes()
        digest = hashlib.sha256(data + repr(points).encode()).hexdigest()[:12]
        target = static / "fonts" / f"icons-{digest}" / source.name
        if not target.exists():
            options = subset.Options()
            options.flavor = "woff2"
            options.layout_features = ["*"]
            font = subset.load_font(str(source), options)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=points)
            subsetter.subset(font)
            target.parent.mkdir(parents=True, exist_ok=True)
            subset.save_font(font, str(target), options)
        url = target.relative_to(static).as_posix()
        return re.sub(r"src\s*:[^;}]*", f'src:url("{url}") format("woff2")', rule, count=1)

    return _FONT_FACE.sub(cut, css)


# ----------------------------------------------------------------------------- Markdown tables

_MD_TABLE = re.compile(r'<table class="table">(.*?)</table>', re.S)
_TAGS = re.compile(r"<[^>]+>")
STACK_COLUMNS = 5
"""A Markdown table (a ``table.table`` Sphinx writes) with this many columns or more is too wide
for a phone's column: it is stacked there (``book.css``), as wide tables of the book's helper are."""


def stack_markdown_tables(text: str) -> str:
    """Give every data cell of a Markdown table its column's header as ``data-label`` (the
    stacked layout shows it), and ``stack`` to the tables with :data:`STACK_COLUMNS` or more columns."""

    def label(match):
        body = match.group(1)
        head = re.search(r"<thead>(.*?)</thead>", body, re.S)
        if not head:
            return match.group(0)
        labels = [
            html.escape(html.unescape(" ".join(_TAGS.sub("", h).split())), quote=True)
            for h in re.findall(r"<th\b[^>]*>(.*?)</th>", head.group(1), re.S)
        ]
        if len(labels) < STACK_COLUMNS:
            return match.group(0)

        def row(tr):
            cells = iter(labels)
            return re.sub(r"<td\b", lambda _: f'<td data-label="{next(cells, "")}"', tr.group(0))

        body = re.sub(r"<tr\b.*?</tr>", row, body, flags=re.S)
        return f'<table class="table stack">{body}</table>'

    return _MD_TABLE.sub(label, text)


# ----------------------------------------------------------------------------- stylesheets

_LINK = re.compile(r'<link\b[^>]*\brel="stylesheet"[^>]*>\s*')
_HREF = re.compile(r'\bhref="([^"]+)"')
_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]([^'"]+)['"]\s*\)?\s*;""")
_DOC_OPTIONS = re.compile(r'<script src="([^"]*_static/documentation_options\.js)(?:\?[^"]*)?"></script>')
_PSEUDO_ARGS = re.compile(r":{1,2}[\w-]+\((?:[^()]|\([^()]*\))*\)")
_CLASS_OR_ID = re.compile(r"[.#](-?[_a-zA-Z][\w-]*)")
_TOKEN = re.compile(r"-?[_a-zA-Z][\w-]*")
KEEP_PREFIXES = (
    "bs-",
    "tooltip",
    "popover",
    "show",
    "showing",
    "collapsing",
    "fade",
    "active",
    "was-validated",
)
"""Classes scripts build from pieces (Bootstrap's ``bs-tooltip-<placement>``, state classes):
their rules are always kept."""


def _inline_imports(css: str, path: Path, static: Path) -> str:
    """``css`` (of the file ``path``) with its ``@import``s inlined and every relative ``url()``
    rewritten relative to ``static`` (where the joined file lives)."""

    def rebase(match):
        quote, url = match.groups()
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", url):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(path.parent.relative_to(static).as_posix(), url))
        return f'url("{target}")'

    def inline(match):
        target = (path.parent / match.group(1)).resolve()
        return _inline_imports(target.read_text(encoding="utf-8"), target, static)

    imports = [inline(m) for m in _IMPORT.finditer(css)]
    parts = _IMPORT.split(css)[::2]  # the text around the @imports (the split drops their paths)
    out = _URL.sub(rebase, parts[0])
    for imported, after in zip(imports, parts[1:]):
        out += imported + _URL.sub(rebase, after)
    return out


def _selector_needs(selector: str) -> set[str]:
    """The classes and ids an element must have for ``selector`` to match anything: those outside
    functional pseudo-classes (``:not(.x)`` needs no ``x``; ``:is``/``:has`` are not counted)."""
    bare = re.sub(r"\[[^\]]*\]", "", _PSEUDO_ARGS.sub("", selector))
    return set(_CLASS_OR_ID.findall(bare))


def _kept(name: str, tokens: set[str]) -> bool:
    return name in tokens or name.startswith(KEEP_PREFIXES) or "\\" in name


def purge_css(css: str, tokens: set[str]) -> str:
    """``css`` without the selectors whose classes or ids occur nowhere in ``tokens`` (the class
    names and ids of the site's pages, and every word of its scripts, which add classes later).

    A rule keeps those of its selectors that can match; a rule left with none is dropped, and so
    is an ``@media``/``@supports`` block left empty. Other at-rules (``@font-face``,
    ``@keyframes``, ``@page``) and rules without classes or ids are kept whole.
    """
    import tinycss2

    def walk(nodes) -> list[str]:
        out = []
        for node in nodes:
            if node.type == "qualified-rule":
                prelude = tinycss2.serialize(node.prelude).strip()
                selectors = [s.strip() for s in _split_selectors(prelude)]
                keep = [s for s in selectors if all(_kept(n, tokens) for n in _selector_needs(s))]
                if keep:
                    out.append(",".join(keep) + "{" + tinycss2.serialize(node.content).strip() + "}")
            elif node.type == "at-rule":
                head = "@" + node.at_keyword + tinycss2.serialize(node.prelude).rstrip()
                if node.content is None:
                    out.append(head + ";")
                elif node.lower_at_keyword in ("media", "supports", "layer", "container"):
                    inner = walk(
                        tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True)
                    )
                    if inner:
                        out.append(head + "{" + "".join(inner) + "}")
                else:
                    out.append(head + "{" + tinycss2.serialize(node.content).strip() + "}")
        return out

    return "\n".join(walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)))


def _split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside ``:is(a, b)``)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return parts


def site_tokens(outdir: Path) -> set[str]:
    """Class names and ids used in the site's pages, and every word of its scripts."""
    tokens: set[str] = set()
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for attr in re.findall(r'\b(?:class|id)="([^"]*)"', text):
            tokens.update(attr.split())
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", text, flags=re.S):
            tokens.update(_TOKEN.findall(script))
    for script in outdir.joinpath("_static").rglob("*.js"):
        tokens.update(_TOKEN.findall(script.read_text(encoding="utf-8", errors="replace")))
    return tokens


PURGE_CACHE = "book-purged-css.json"
"""Beside Sphinx's output folder: the last purge, keyed on its stylesheets, the site's tokens and
this module's source (parsing 400 kB of CSS takes about a second; most rebuilds change neither)."""


def _purged(css: str, tokens: set[str], cache: Path) -> str:
    """:func:`purge_css` of ``css`` and ``tokens``, read from ``cache`` when made before."""
    digest = hashlib.sha256()
    for part in (Path(__file__).read_bytes(), css.encode(), "\n".join(sorted(tokens)).encode()):
        digest.update(hashlib.sha256(part).digest())
    key = digest.hexdigest()
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("key") == key and isinstance(stored.get("css"), str):
            return stored["css"]
    except (OSError, ValueError, AttributeError):
        pass  # none yet, or damaged: purge again
    purged = purge_css(css, tokens)
    part = cache.with_name(f".{cache.name}.{os.getpid()}.part")
    part.write_text(json.dumps({"key": key, "css": purged}), encoding="utf-8")
    os.replace(part, cache)
    return purged


def join_stylesheets(outdir: Path, names: list[str], tokens: set[str]) -> str:
    """Write the stylesheets ``names`` (paths under ``_static``, in page order) as one purged file;
    return its path under ``_static``."""
    static = outdir / "_static"
    parts = []
    for name in names:
        path = static / name
        parts.append(_inline_imports(path.read_text(encoding="utf-8"), path, static))
    css = subset_icon_fonts(_purged("\n".join(parts), tokens, outdir.parent / PURGE_CACHE), static)
    digest = hashlib.sha256(css.encode("utf-8")).hexdigest()[:12]
    target = f"book-site-{digest}.css"
    (static / target).write_text(
        "/* The site's stylesheets in one file, unused rules left out: helpers.book.site_assets. */\n" + css,
        encoding="utf-8",
    )
    return target


def one_stylesheet(text: str, page: Path, outdir: Path, bundles: dict, tokens: set[str]) -> str:
    """Replace the page's links to local stylesheets by one link to their joined, purged file."""
    head_end = text.find("</head>")
    links = [m for m in _LINK.finditer(text, 0, head_end) if "media=" not in m.group(0)]
    names, prefix = [], None
    for m in links:
        href = _HREF.search(m.group(0)).group(1).split("?")[0]
        marker = href.find("_static/")
        if marker < 0 or re.match(r"^[a-z]+:", href):
            return text  # a stylesheet from elsewhere: leave the page as it is
        prefix = href[:marker]
        names.append(href[marker + len("_static/") :])
    if len(names) < 2:
        return text
    key = tuple(names)
    if key not in bundles:
        bundles[key] = join_stylesheets(outdir, names, tokens)
    link = f'<link rel="stylesheet" href="{prefix}_static/{bundles[key]}" />\n'
    out, last = [], 0
    for i, m in enumerate(links):
        out.append(text[last : m.start()])
        if i == 0:
            out.append(link)
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def inline_documentation_options(text: str, outdir: Path) -> str:
    """Inline the 400-byte ``documentation_options.js`` the head's inline scripts need, instead of
    a render-blocking request for it."""
    source = outdir / "_static" / "documentation_options.js"
    if not source.exists():
        return text
    body = source.read_text(encoding="utf-8").strip()
    return _DOC_OPTIONS.sub(lambda m: f"<script>{body}</script>", text, count=1)


def rewrite_pages(app, exception) -> None:
    """After a successful HTML build: every page's scripts, stylesheets and markup (see above)."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = sorted(p for p in outdir.rglob("*.html") if "_static" not in p.relative_to(outdir).parts)
    tokens = site_tokens(outdir)
    bundles: dict = {}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        new = drop_search_scripts(text, page == outdir / "search.html")
        new = mend_markup(new)
        new = stack_markdown_tables(new)
        new = inline_documentation_options(new, outdir)
        new = one_stylesheet(new, page, outdir, bundles, tokens)
        new = off_the_paint_path(new)
        if new != text:
            page.write_text(new, encoding="utf-8")
    # Sphinx rewrites only the pages that changed: the others keep linking the joined file they
    # were given before, so only files no page links any more are removed.
    linked = set()
    for page in pages:
        linked.update(re.findall(r"_static/(book-site-[0-9a-f]+\.css)", page.read_text(encoding="utf-8")))
    static = outdir / "_static"
    for stale in static.glob("book-site-*.css"):
        if stale.name not in linked:
            stale.unlink()
    icons = set()
    for name in linked:
        if (static / name).exists():
            icons.update(re.findall(r"fonts/(icons-[0-9a-f]+)/", (static / name).read_text(encoding="utf-8")))
    for stale in static.glob("fonts/icons-*"):
        if stale.name not in icons:
            shutil.rmtree(stale)


def setup(app):
    app.connect("config-inited", defer_scripts, priority=900)
    app.connect("html-page-context", defer_page_scripts, priority=900)
    app.connect("build-finished", rewrite_pages, priority=900)  # after the theme rewrites pygments.css
    return {"parallel_read_safe": True, "parallel_write_safe": True}
