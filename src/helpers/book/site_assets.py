"""A Sphinx extension that keeps every page's scripts off the critical path.

Jupyter Book adds every ``.js`` file under ``_static`` to every page as a plain, render-blocking
``<script>`` in the head, besides those ``_config.yml`` lists. This extension (listed in
``_config.yml``) runs after that and

* drops ``vega-bundle.js``: ``book-charts.js`` loads it only when a reader asks for a live chart;
* keeps one entry per file, and gives every script of the book's own ``defer`` (they act on the
  finished document, so deferring changes nothing but the first paint);
* defers the scripts Sphinx and the theme's extensions add (copy button, toggles, tabs,
  highlighting), all but ``documentation_options.js``, which inline scripts in the head use;
* defers the search tools the theme writes into every page's head (the search page itself keeps
  its own): search-as-you-type is off, so they are needed only once a reader searches.
"""

from __future__ import annotations

import re
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


def defer_search_scripts(app, exception) -> None:
    """Add ``defer`` to the search tools in the head of every page but the search page."""
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        if page.name == "search.html" and page.parent == Path(app.outdir):
            continue
        text = page.read_text(encoding="utf-8")
        new = _SEARCH_SCRIPT.sub(r'<script defer src="\1"></script>', text)
        if new != text:
            page.write_text(new, encoding="utf-8")


def setup(app):
    app.connect("config-inited", defer_scripts, priority=900)
    app.connect("html-page-context", defer_page_scripts, priority=900)
    app.connect("build-finished", defer_search_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
