"""A Sphinx extension that removes two costs of the pinned Sphinx packages, changing no output.

1. **Chinese search index.** ``sphinx.search.zh.SearchChinese`` (Sphinx 7.4) appends the Latin
   words of every text it splits to one list, ``latin_terms``, and ``stem()`` asks whether a
   word is ``in`` that list: the list grows with every paragraph of the book, so indexing costs
   the square of the book's length (a profile of a cold build: about half of Sphinx's time).
   :class:`SearchChinese` keeps the same words in a set: the same membership answers, so the
   same stems and the same search index (``tests/test_sphinx_speed.py``; the whole index and
   every page were byte-identical with and without it in a cold build of the book).
2. **jieba's dictionary.** The search index splits Chinese with jieba, whose first split loads
   a prefix dictionary of about half a million entries (0.8–1.3 s; every Sphinx run that
   writes a page pays it). :class:`BookDictionary` keeps, beside Sphinx's environment, the
   entries made only of characters the book's text has used, about a tenth of them, with
   jieba's total; a later build loads those (a few hundredths of a second). jieba looks up
   only pieces of the text it splits, and every character of such a piece is one the text
   has, so for a text whose characters are all kept it finds exactly what the whole
   dictionary holds: the same words, the same frequencies, the same splits. A text with a
   character not kept loads the whole dictionary for the rest of the build, and the kept set
   grows at its end. With a user dictionary (``html_search_options: dict``) the whole
   dictionary is always used.
3. **Templates and stems.** Sphinx compiles the theme's Jinja templates afresh in every run
   (about 0.5 s): :func:`_builder_inited` gives Jinja a bytecode cache beside Sphinx's
   environment, which Jinja checks against each template's source and its own version, so the
   same templates give the same code. Snowball stems each word of a written page as often as
   it occurs: the stem of a word is kept for the run (the same stemmer, the same stems).
4. **Citations.** sphinxcontrib-bibtex finds its pybtex style and backend plugins once per
   citation through ``pybtex.plugin.find_plugin``, which reads the entry points of every
   installed package each time (about 0.1 s per citation). The installed packages do not change
   during a build, so the entry points read for a group and a name are kept.

Registered in ``_config.yml`` (``sphinx.extra_extensions``). The first and fourth are fixed
upstream in later releases (Sphinx 8 keeps ``latin_terms`` as a set): remove them when the lock
moves there.
"""

from __future__ import annotations

import functools
import marshal
import os
from pathlib import Path

from sphinx.search import languages
from sphinx.search.zh import SearchChinese as _SearchChinese


class SearchChinese(_SearchChinese):
    """Sphinx's Chinese search language with ``latin_terms`` a set (see the module docstring)."""

    latin_terms: set[str] = set()  # type: ignore[assignment]

    def init(self, options: dict[str, str]) -> None:
        if options.get("dict"):  # a user dictionary: jieba's own, whole
            DICTIONARY.path = None
        super().init(options)
        self._stem_word = functools.lru_cache(maxsize=None)(self.stemmer.stemWord)

    def stem(self, word: str) -> str:
        """Sphinx 7.4's ``SearchChinese.stem``, each word's stem computed once."""
        lower = word.lower()
        stemmed = self._stem_word(lower)
        if word in self.latin_terms and len(word) >= 3 and len(stemmed) < 3:
            return lower
        return stemmed

    def split(self, input: str) -> list[str]:  # noqa: A002 - Sphinx's signature
        chinese: list[str] = []
        from sphinx.search import zh

        if zh.JIEBA:
            DICTIONARY.cover(input)
            chinese = list(zh.jieba.cut_for_search(input))
        latin1 = [term.strip() for term in self.latin1_letters.findall(input)]
        self.latin_terms.update(latin1)
        return chinese + latin1


class BookDictionary:
    """jieba's prefix dictionary cut to the characters the book uses (see the module docstring).

    ``path`` is the file kept beside Sphinx's environment (set when the builder starts; None:
    always the whole dictionary). Before each split, :meth:`cover` makes sure the dictionary
    jieba holds has every entry made of the text's characters; at the end of a build,
    :meth:`save` keeps the entries of every character seen so far.
    """

    def __init__(self):
        self.path: Path | None = None
        self.kept: frozenset[str] | None = None  # characters of the cut dictionary jieba holds
        self.seen: set[str] = set()

    @staticmethod
    def _key() -> str:
        import jieba

        source = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
        return f"jieba {jieba.__version__} {source.name} {source.stat().st_size}"

    def cover(self, text: str) -> None:
        import jieba

        characters = set(text)
        self.seen |= characters
        tokenizer = jieba.dt
        if self.kept is not None:
            if characters <= self.kept:
                return
            # a character the cut dictionary lacks: the whole one, for the rest of this build
            tokenizer.initialized, self.kept = False, None
            tokenizer.initialize()
            return
        if tokenizer.initialized or self.path is None or tokenizer.dictionary is not None:
            return
        try:
            key, kept, freq, total = marshal.loads(self.path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return
        if key != self._key() or not characters <= set(kept):
            return
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
        self.kept = frozenset(kept)

    def save(self) -> None:
        """Keep the entries of every character seen (needs the whole dictionary loaded when a
        character is new; when none is, the file stays as it is)."""
        import jieba

        tokenizer = jieba.dt
        if self.path is None or not self.seen or tokenizer.dictionary is not None:
            return
        if self.kept is not None and self.seen <= self.kept:
            return
        if not tokenizer.initialized:
            return
        characters = self.seen | (self.kept or set())
        freq = {word: n for word, n in tokenizer.FREQ.items() if set(word) <= characters}
        data = marshal.dumps((self._key(), "".join(sorted(characters)), freq, tokenizer.total))
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, self.path)
        except OSError:  # only a shortcut for the next build
            tmp.unlink(missing_ok=True)


DICTIONARY = BookDictionary()


def _builder_inited(app) -> None:
    DICTIONARY.path = Path(app.doctreedir) / "jieba-book-dictionary.marshal"
    DICTIONARY.seen = set()
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is not None and environment.bytecode_cache is None:
        from jinja2 import FileSystemBytecodeCache

        folder = Path(app.doctreedir) / "jinja-bytecode"
        folder.mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def _build_finished(app, exception) -> None:
    if exception is None:
        DICTIONARY.save()


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
    if app is not None:
        app.connect("builder-inited", _builder_inited)
        app.connect("build-finished", _build_finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
