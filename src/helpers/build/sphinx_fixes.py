"""A Sphinx extension that mends a defect of the pinned Sphinx (7.4) in incremental builds.

**Index entries dropped from the search index.** The search index (``searchindex.js``) lists
the book's index entries (the glossary's terms, ``{index}`` targets) under ``indexentries``, so
that a search for a term finds its definition. Sphinx collects them while it writes each page
and keeps them in its environment, but it saves the environment before it writes, so the
entries are never saved; an incremental build (a prose edit: Sphinx writes only the pages that
changed) then indexes the entries of the pages it writes and loses every other page's. On this
book a prose edit of ``chapters/housing_market.md`` left ``indexentries`` empty, where a cold
build lists the glossary's entries. It is an open upstream bug (sphinx-doc/sphinx#12599, "
'indexentries' section missing results from search index following non-fresh project rebuild").

:func:`load` reads the entries back from the previous ``searchindex.js``, which Sphinx loads
anyway for the other parts of the index, for the pages it will not write again; :func:`prune`
forgets those of the pages it writes again (they are indexed anew as they are written) and of
pages that left the book. Each page keeps its place and each entry its order, so the index of
an incremental build is the index of a cold build of the same pages
(``tests/test_sphinx_fixes.py``, which fails without this module; and on the book, a cold build
and a prose edit's build give the same ``indexentries``).

Registered in ``_config.yml`` (``sphinx.extra_extensions``). Remove it when the lock moves to a
Sphinx that fixes #12599.
"""

from __future__ import annotations

from sphinx.search import IndexBuilder

_load, _prune = IndexBuilder.load, IndexBuilder.prune


class _Kept:
    """A search-index format that hands the index it loads to Sphinx and keeps it."""

    def __init__(self, fmt):
        self.fmt, self.frozen = fmt, None

    def load(self, stream):
        self.frozen = self.fmt.load(stream)
        return self.frozen


def load(self: IndexBuilder, stream, format) -> None:
    """Sphinx's ``IndexBuilder.load``, and the index entries of every page of the loaded index,
    in the order the index lists them (see the module)."""
    kept = _Kept(self.formats[format] if isinstance(format, str) else format)
    _load(self, stream, kept)  # raises, as before, for a missing or outdated index
    frozen = kept.frozen
    docnames = frozen["docnames"]
    entries: dict[str, list[tuple[str, str, str]]] = {name: [] for name in docnames}
    for entry, places in frozen.get("indexentries", {}).items():
        for index, target, main in places:
            entries[docnames[index]].append((entry, target, "main" if main else ""))
    restored = {name: found for name, found in entries.items() if found}
    self._index_entries.clear()
    self._index_entries.update(restored)


def prune(self: IndexBuilder, docnames) -> None:
    """Sphinx's ``IndexBuilder.prune`` (keep only the pages ``docnames``), for index entries too:
    a page written again keeps its place with no entries until it is indexed anew."""
    _prune(self, docnames)
    keep = set(docnames)
    for name in list(self._index_entries):
        if name in keep:
            continue
        if name in self.env.all_docs:
            self._index_entries[name] = []
        else:
            del self._index_entries[name]


def setup(app):
    IndexBuilder.load = load
    IndexBuilder.prune = prune
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
