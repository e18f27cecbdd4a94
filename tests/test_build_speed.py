"""The shortcuts that keep rebuilds fast, each checked to give what the long way gives.

* the site folder is assembled by hard-linking the files Sphinx did not change from the
  published folder (:func:`helpers.build.atomic.copy_tree_reusing`): a changed file is copied;
* the PDF edition's print document reuses each page's prepared article while the page's HTML is
  unchanged (:func:`helpers.build.pdf.combined_html` with a cache);
* the PDF is printed once when the contents' page numbers of the last print still hold, and
  twice otherwise (:func:`helpers.build.pdf.print_book`): the numbers shown are always the
  PDF's own;
* ``make book`` builds the site in the Sphinx process started with the build, and prints no
  PDF; ``make pdf`` and the publish gate (``make test``) do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from helpers.build import atomic, pdf

# --------------------------------------------------------------------------- site folder


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_unchanged_files_are_linked_changed_and_new_ones_copied(tmp_path):
    published, work, new = tmp_path / "html", tmp_path / "work", tmp_path / "new"
    _write(published / "a.html", "same")
    _write(published / "b.html", "old!")  # same size as the new bytes, other bytes
    _write(published / "gone.html", "removed from the site")
    _write(work / "a.html", "same")
    _write(work / "b.html", "new!")
    _write(work / "sub" / "c.html", "a new page")
    atomic.copy_tree_reusing(work, new, published)
    assert (new / "a.html").stat().st_ino == (published / "a.html").stat().st_ino
    assert (new / "b.html").read_text() == "new!"
    assert (new / "b.html").stat().st_ino != (published / "b.html").stat().st_ino
    assert (published / "b.html").read_text() == "old!", "the published file was written through"
    assert (new / "sub" / "c.html").read_text() == "a new page"
    assert not (new / "gone.html").exists()


def test_without_a_published_folder_everything_is_copied(tmp_path):
    _write(tmp_path / "work" / "x" / "a.css", "body {}")
    atomic.copy_tree_reusing(tmp_path / "work", tmp_path / "new", tmp_path / "absent")
    assert (tmp_path / "new" / "x" / "a.css").read_text() == "body {}"


# --------------------------------------------------------------------------- print articles

PAGE = """<html><head><link rel="stylesheet" href="../_static/book.css"></head><body>
<article class="bd-article"><section id="intro"><h1>NAME<a class="headerlink" href="#intro">#</a></h1>
<p>TEXT <a href="../back/y.html">other page</a></p></section></article></body></html>"""

TOC = {
    "root": "chapters/overview",
    "parts": [{"caption": "Part", "chapters": [{"file": "chapters/x"}, {"file": "back/y"}]}],
}


def _site(root: Path) -> Path:
    for name in ("chapters/overview", "chapters/x", "back/y"):
        _write(root / f"{name}.html", PAGE.replace("NAME", name).replace("TEXT", "first words"))
    return root


def test_print_articles_come_from_the_cache_while_their_page_is_unchanged(tmp_path, monkeypatch):
    site, cache = _site(tmp_path / "html"), tmp_path / "work"
    uncached, _ = pdf.combined_html(site, TOC, "T", "A")
    first, _ = pdf.combined_html(site, TOC, "T", "A", cache=cache)
    assert first == uncached
    parsed = []
    original = pdf._article_part
    monkeypatch.setattr(pdf, "_article_part", lambda *args: parsed.append(args[1].docname) or original(*args))
    again, _ = pdf.combined_html(site, TOC, "T", "A", cache=cache)
    assert again == first and parsed == []
    _write(site / "chapters" / "x.html", PAGE.replace("NAME", "chapters/x").replace("TEXT", "edited words"))
    edited, headings = pdf.combined_html(site, TOC, "T", "A", cache=cache)
    assert parsed == ["chapters/x"]
    assert "edited words" in edited and edited.count("first words") == 2
    assert [h for _, h in headings] == ["chapters/overview", "chapters/x", "back/y"]
    monkeypatch.setattr(pdf, "_article_part", original)
    assert edited == pdf.combined_html(site, TOC, "T", "A")[0]


def test_print_articles_are_made_again_for_another_url_prefix(tmp_path):
    site, cache = _site(tmp_path / "html"), tmp_path / "work"
    pdf.combined_html(site, TOC, "T", "A", site_prefix="/html/", cache=cache)
    other, _ = pdf.combined_html(site, TOC, "T", "A", site_prefix="/site/", cache=cache)
    assert 'href="/site/_static/book.css"' in other and "/html/" not in other


def test_damaged_article_cache_is_made_again(tmp_path):
    site, cache = _site(tmp_path / "html"), tmp_path / "work"
    good, _ = pdf.combined_html(site, TOC, "T", "A", cache=cache)
    (cache / "articles.json").write_text("{not json")
    assert pdf.combined_html(site, TOC, "T", "A", cache=cache)[0] == good


# --------------------------------------------------------------------------- one print or two


def test_last_contents_numbers_are_used_only_for_the_same_pages(tmp_path):
    path = tmp_path / "contents-numbers.json"
    assert pdf._read_numbers(path, ["a"]) is None
    path.write_text(json.dumps({"a": 3, "b": 5}))
    assert pdf._read_numbers(path, ["b", "a"]) == {"a": 3, "b": 5}
    assert pdf._read_numbers(path, ["a", "c"]) is None
    for bad in ("{not json", json.dumps({"a": "3", "b": 5}), json.dumps({"a": 0, "b": 5}), "[1, 2]"):
        path.write_text(bad)
        assert pdf._read_numbers(path, ["a", "b"]) is None


class _FakeBrowser:
    """Stands in for Chromium: the PDF's own page numbers are ``true``, whatever the contents show."""

    def __init__(self, true: dict[str, int]):
        self.true, self.shown, self.prints, self.tagged = true, {}, [], []

    def pdf(self, path: str, **options) -> None:
        self.prints.append(dict(self.shown))
        self.tagged.append(options["tagged"])
        Path(path).write_bytes(json.dumps(self.true).encode())

    def evaluate(self, script: str, arg=None):
        if script == pdf.FILL_CONTENTS:
            self.shown = dict(arg)
        return ["heading"]

    def close(self) -> None:
        pass


@pytest.fixture
def fake_chromium(monkeypatch):
    def install(true):
        browser = _FakeBrowser(true)
        manager = type("Manager", (), {"__enter__": lambda self: object(), "__exit__": lambda self, *a: None})
        monkeypatch.setitem(
            sys.modules, "playwright.sync_api", types.SimpleNamespace(sync_playwright=manager)
        )
        monkeypatch.setattr(pdf, "_launch", lambda p: browser)
        monkeypatch.setattr(pdf, "open_document", lambda b, url: browser)
        for reader in ("contents_page_numbers", "destination_page_numbers"):
            monkeypatch.setattr(pdf, reader, lambda path, headings: json.loads(Path(path).read_bytes()))
        return browser

    return install


def test_one_print_when_the_last_numbers_hold(tmp_path, fake_chromium):
    browser = fake_chromium({"a": 3, "b": 7})
    numbers, _ = pdf.print_book("u", tmp_path / "draft.pdf", tmp_path / "book.pdf", [], {"a": 3, "b": 7})
    assert numbers == {"a": 3, "b": 7}
    assert browser.prints == [{"a": 3, "b": 7}]


def test_two_prints_when_the_last_numbers_moved(tmp_path, fake_chromium):
    browser = fake_chromium({"a": 3, "b": 8})
    numbers, _ = pdf.print_book("u", tmp_path / "draft.pdf", tmp_path / "book.pdf", [], {"a": 3, "b": 7})
    assert numbers == {"a": 3, "b": 8}
    assert browser.prints == [{"a": 3, "b": 7}, {"a": 3, "b": 8}], "the book shows the PDF's own numbers"
    assert browser.tagged == [True, True]


def test_two_prints_without_numbers_from_a_last_print(tmp_path, fake_chromium):
    browser = fake_chromium({"a": 2, "b": 4})
    numbers, _ = pdf.print_book("u", tmp_path / "draft.pdf", tmp_path / "book.pdf", [])
    assert numbers == {"a": 2, "b": 4}
    assert browser.prints == [{}, {"a": 2, "b": 4}]
    assert browser.tagged == [False, True], "the draft is printed untagged, the book tagged"


# --------------------------------------------------------------------------- steps of a build


@pytest.mark.parametrize("with_pdf", [False, True])
def test_make_book_builds_the_site_and_only_make_pdf_prints_the_book(monkeypatch, tmp_path, with_pdf):
    """``book()`` runs validate, execute, stage and the site in order, the site in the Sphinx
    process started with the build; the PDF edition only with ``pdf=True`` (``make pdf``, and
    ``make test`` through the publish gate)."""
    import contextlib

    from helpers.build import pipeline, warm_sphinx

    steps: list[str] = []

    class Warm:
        def make_way(self):
            steps.append("warm sphinx lowered")

    warm = Warm()

    @contextlib.contextmanager
    def started(config, cwd, env, modules=None):
        steps.append("warm sphinx started")
        yield warm
        steps.append("warm sphinx stopped")

    monkeypatch.setattr(pipeline, "BUILD", tmp_path)
    monkeypatch.setattr(warm_sphinx, "started", started)
    monkeypatch.setattr(pipeline, "validate", lambda before=None: steps.append("validate"))

    def execute(before_pages=None, **kw):
        steps.append("execute")
        before_pages()  # pages start: the warm process makes way for them

    monkeypatch.setattr(pipeline, "execute", execute)
    monkeypatch.setattr(pipeline, "prepare_generated", lambda: None)
    monkeypatch.setattr(pipeline, "stage", lambda: steps.append("stage"))
    monkeypatch.setattr(
        pipeline, "build_site", lambda sphinx=None: steps.append(f"site, warm {sphinx is warm}") or tmp_path
    )
    monkeypatch.setattr(pipeline, "pdf_edition", lambda html: steps.append("pdf"))
    pipeline.book(pdf=with_pdf)
    assert steps == [
        "warm sphinx started",
        "validate",
        "execute",
        "warm sphinx lowered",
        "stage",
        "site, warm True",
        *(["pdf"] if with_pdf else []),
        "warm sphinx stopped",
    ]


def test_the_publish_gate_builds_the_pdf_edition(monkeypatch, tmp_path):
    from helpers.build import pipeline, publish

    class Stop(Exception):
        pass

    calls = []

    def book(**kwargs):
        calls.append(kwargs)
        raise Stop

    monkeypatch.setattr(pipeline, "BUILD", tmp_path)
    monkeypatch.setattr(pipeline, "book", book)
    with pytest.raises(Stop):
        publish.publish(dest=tmp_path / "publish")
    assert calls and calls[0].get("pdf") is True
    assert not (tmp_path / "publish").exists()


# --------------------------------------------------------------------------- workers: one per job


def _missing_page_tasks(tmp_path: Path, count: int) -> list:
    from helpers.build import workers

    return [
        workers.Task(
            key=f"page{i}",
            spec={"source": str(tmp_path / f"page{i}.md"), "output": str(tmp_path / f"page{i}.ipynb")},
        )
        for i in range(count)
    ]


def test_one_worker_per_job_runs_its_pages_one_after_another(monkeypatch, tmp_path):
    """Three pages, one job: one worker process runs all three, in order, each its own page
    (missing pages, so each result names its page), and ends with its folders removed."""
    from helpers.build import workers

    spawned = []
    real_spawn = workers._spawn
    monkeypatch.setattr(workers, "_spawn", lambda env: spawned.append(real_spawn(env)) or spawned[-1])
    tasks = _missing_page_tasks(tmp_path, 3)
    results = [(task.key, result) for task, result in workers.run(tasks, 1, dict(os.environ))]
    assert len(spawned) == 1
    assert [key for key, _ in results] == ["page0", "page1", "page2"]
    for key, result in results:
        assert not result["ok"] and f"{key}.md" in result["error"], result
    assert spawned[0].process.poll() is not None and not spawned[0].folder.exists()
    assert not any(task.folder.exists() for task in tasks)


def test_a_worker_that_dies_fails_its_page_only_and_another_takes_its_place(monkeypatch, tmp_path):
    from helpers.build import workers

    real_spawn = workers._spawn
    spawned = []

    def spawn(env):
        if not spawned:  # the first worker dies at once, with the page given to it
            worker = real_spawn(env)
            worker.process.kill()
            worker.process.wait()
            worker.process = subprocess.Popen(
                [sys.executable, "-c", "import sys; sys.exit(3)"], stdin=subprocess.PIPE
            )
            worker.process.wait()
        else:
            worker = real_spawn(env)
        spawned.append(worker)
        return worker

    monkeypatch.setattr(workers, "_spawn", spawn)
    tasks = _missing_page_tasks(tmp_path, 2)
    results = dict((task.key, result) for task, result in workers.run(tasks, 1, dict(os.environ)))
    assert "the worker executing it stopped (exit code 3)" in results["page0"]["error"]
    assert "page1.md" in results["page1"]["error"]  # run by the worker that took its place
    assert len(spawned) == 2


def test_stopping_the_build_stops_every_worker(tmp_path):
    from helpers.build import workers

    tasks = _missing_page_tasks(tmp_path, 4)
    run = workers.run(tasks, 2, dict(os.environ))
    next(run)
    started = [task for task in tasks if task.process is not None]
    with pytest.raises(KeyboardInterrupt):
        run.throw(KeyboardInterrupt)  # as Ctrl-C would, while the build handles a result
    for task in started:
        assert task.process.poll() is not None and not task.folder.exists(), task.key
