"""helpers.build.sphinx_speed changes no output: the same words and stems as Sphinx's own Chinese
search language, the same splits with jieba's dictionary cut to the book's characters as with
the whole one, the same pybtex plugins. (That the whole search index is byte-identical was
checked by building the site with and without the extension; see the module docstring.)"""

from __future__ import annotations

from pathlib import Path

import pytest
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


@pytest.fixture
def jieba_state(monkeypatch, tmp_path):
    """jieba's global tokenizer as it was after the test; a fresh BookDictionary kept in tmp_path."""
    import jieba

    tokenizer = jieba.dt
    saved = (tokenizer.FREQ, tokenizer.total, tokenizer.initialized)
    dictionary = sphinx_speed.BookDictionary()
    dictionary.path = tmp_path / "jieba-book-dictionary.marshal"
    monkeypatch.setattr(sphinx_speed, "DICTIONARY", dictionary)
    yield dictionary
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = saved


def _unload_jieba() -> None:
    import jieba

    jieba.dt.FREQ, jieba.dt.initialized = {}, False


def test_the_cut_dictionary_splits_every_text_as_the_whole_one(jieba_state):
    import random

    import jieba

    texts = _book_texts()
    rng = random.Random(7)
    book = "".join(texts)
    # pieces of the book shuffled together: words across the book's own boundaries
    pieces = [book[i : i + 6] for i in range(0, len(book) - 6, 97)]
    texts += ["".join(rng.choice(pieces) for _ in range(200)) for _ in range(40)]
    # words that mix Latin letters or digits with Chinese (B超, A股, 3D, T恤衫) are entries too
    texts.append("B超检查, A股市场, 3D打印 and a T恤衫")
    jieba.dt.initialize()
    whole_size = len(jieba.dt.FREQ)
    expected = [list(jieba.cut_for_search(t)) for t in texts]
    ours = sphinx_speed.SearchChinese({})
    # a first build, with the whole dictionary, keeps the cut one at its end
    for text in texts:
        ours.split(text)
    jieba_state.save()
    assert jieba_state.path.exists()
    # the next build (a new process: jieba not loaded) splits with the cut one
    _unload_jieba()
    jieba_state.kept, jieba_state.seen = None, set()
    got = [ours.split(t)[: len(e)] for t, e in zip(texts, expected)]
    assert jieba_state.kept is not None, "the cut dictionary was not used"
    assert len(jieba.dt.FREQ) < whole_size / 4
    assert got == expected
    # a character the book never used: the whole dictionary again, and the same splits
    new = "龘龘 and 不良贷款"
    split = ours.split(new)
    assert jieba_state.kept is None and len(jieba.dt.FREQ) == whole_size
    whole = list(jieba.cut_for_search(new))
    assert split[: len(whole)] == whole
    jieba_state.save()
    _unload_jieba()
    jieba_state.kept, jieba_state.seen = None, set()
    ours.split(new)
    assert jieba_state.kept is not None and "龘" in jieba_state.kept, (
        "the new character is kept for next time"
    )


def test_a_stale_or_damaged_cut_dictionary_is_not_used(jieba_state):
    import jieba

    jieba_state.path.write_bytes(b"not marshal data")
    _unload_jieba()
    sphinx_speed.SearchChinese({}).split("不良贷款")
    assert jieba_state.kept is None and len(jieba.dt.FREQ) > 100_000


@pytest.mark.build
def test_templates_compiled_from_the_bytecode_cache_write_the_same_pages(tmp_path):
    """A tiny book with the extension, built, then written again whole (``--all``) from Jinja's
    bytecode cache, and again with the cache removed: the pages are the same, byte for byte.
    (The first build's differ from both: Sphinx adds ``?v=`` checksums to stylesheets found in
    the output of an earlier build.)"""
    import shutil
    import subprocess
    import sys

    source = tmp_path / "book"
    source.mkdir()
    (source / "_config.yml").write_text(
        'title: Tiny\nauthor: Test\nexecute:\n  execute_notebooks: "off"\nsphinx:\n'
        "  extra_extensions: [helpers.build.sphinx_speed]\n  config:\n    html_search_language: zh\n"
    )
    (source / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n- file: page\n")
    (source / "index.md").write_text("# 不良贷款 Tiny\n\nBad loans (不良贷款) and housing (住房).\n")
    (source / "page.md").write_text("# Page\n\nA second page about 房地产 and mortgages.\n")
    out = tmp_path / "out"
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(source),
        "--path-output",
        str(out),
    ]
    first = subprocess.run(command, capture_output=True, text=True)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    cache = out / "_build" / ".doctrees" / "jinja-bytecode"
    assert any(cache.iterdir()), "no template was kept"
    html = out / "_build" / "html"
    cached = subprocess.run([*command, "--all"], capture_output=True, text=True)
    assert cached.returncode == 0, cached.stdout[-2000:] + cached.stderr[-2000:]
    shutil.copytree(html, tmp_path / "cached")
    shutil.rmtree(cache)
    fresh = subprocess.run([*command, "--all"], capture_output=True, text=True)
    assert fresh.returncode == 0, fresh.stdout[-2000:] + fresh.stderr[-2000:]
    pages = sorted(p.relative_to(html) for p in html.rglob("*.html"))
    assert pages and all((html / p).read_bytes() == (tmp_path / "cached" / p).read_bytes() for p in pages)
