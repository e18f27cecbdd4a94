"""A Sphinx extension that removes two costs of the pinned Sphinx packages, changing no output.

1. **Chinese search index.** ``sphinx.search.zh.SearchChinese`` (Sphinx 7.4) appends the Latin
   words of every text it splits to one list, ``latin_terms``, and ``stem()`` asks whether a
   word is ``in`` that list: the list grows with every paragraph of the book, so indexing costs
   the square of the book's length (a profile of a cold build: about half of Sphinx's time).
   :class:`SearchChinese` keeps the same words in a set: the same membership answers, so the
   same stems and the same search index (``tests/test_sphinx_speed.py``; the whole index and
   every page were byte-identical with and without it in a cold build of the book).
2. **Citations.** sphinxcontrib-bibtex finds its pybtex style and backend plugins once per
   citation through ``pybtex.plugin.find_plugin``, which reads the entry points of every
   installed package each time (about 0.1 s per citation). The installed packages do not change
   during a build, so the entry points read for a group and a name are kept.

Registered in ``_config.yml`` (``sphinx.extra_extensions``). Both are fixed upstream in later
releases (Sphinx 8 keeps ``latin_terms`` as a set); remove this module when the lock moves there.
"""

from __future__ import annotations

import functools

from sphinx.search import languages
from sphinx.search.zh import SearchChinese as _SearchChinese


class SearchChinese(_SearchChinese):
    """Sphinx's Chinese search language with ``latin_terms`` a set (see the module docstring)."""

    latin_terms: set[str] = set()  # type: ignore[assignment]

    def split(self, input: str) -> list[str]:  # noqa: A002 - Sphinx's signature
        chinese: list[str] = []
        from sphinx.search import zh

        if zh.JIEBA:
            chinese = list(zh.jieba.cut_for_search(input))
        latin1 = [term.strip() for term in self.latin1_letters.findall(input)]
        self.latin_terms.update(latin1)
        return chinese + latin1


def _cache_pybtex_entry_points() -> None:
    import pybtex.plugin

    original = pybtex.plugin.entry_points
    if getattr(original, "book_cached", False):
        return

    @functools.cache
    def entry_points(**selection):
        return tuple(original(**selection))

    entry_points.book_cached = True
    pybtex.plugin.entry_points = entry_points


def setup(app):
    languages["zh"] = SearchChinese
    _cache_pybtex_entry_points()
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
