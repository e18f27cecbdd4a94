"""helpers.build.sphinx_speed changes no output: the same words and stems as Sphinx's own Chinese
search language, the same pybtex plugins. (That the whole search index is byte-identical was
checked by building the site with and without the extension; see the module docstring.)"""

from __future__ import annotations

from pathlib import Path

from sphinx.search.zh import SearchChinese as SphinxChinese

from helpers.build import sphinx_speed

ROOT = Path(__file__).resolve().parents[1]


def _book_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "chapters").glob("*.md")) + sorted((ROOT / "back").glob("*.md")):
        texts += [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return texts


def test_the_set_based_chinese_search_splits_and_stems_as_sphinx_does():
    ours, theirs = sphinx_speed.SearchChinese({}), SphinxChinese({})
    texts = _book_texts()[::6]  # a sixth of the book's paragraphs: Sphinx's own list is quadratic
    assert len(texts) > 50
    for text in texts:
        words = theirs.split(text)
        assert ours.split(text) == words
        assert [ours.stem(w) for w in words] == [theirs.stem(w) for w in words]
    # words Sphinx keeps unstemmed because stemming would cut them below three letters
    assert ours.stem("LTV") == theirs.stem("LTV")


def test_the_extension_replaces_the_language_and_keeps_plugins():
    import pybtex.plugin
    from sphinx.search import languages

    before = pybtex.plugin.find_plugin("pybtex.style.formatting", "plain")
    sphinx_speed.setup(None)
    assert languages["zh"] is sphinx_speed.SearchChinese
    assert pybtex.plugin.find_plugin("pybtex.style.formatting", "plain") is before
    assert pybtex.plugin.find_plugin("pybtex.backends", "plaintext") is not None
