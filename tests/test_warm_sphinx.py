"""helpers.build.warm_sphinx: Sphinx started ahead of time builds what a fresh process builds.

A scratch two-page book (Chinese search, so jieba is loaded while warming) is built twice, by a
fresh ``jupyter-book build`` and by a warmed process, into two output folders: every file of
the two sites must be byte-identical. An import that fails while warming is reported by the
build as a fresh process reports it, and a process the build does not use is stopped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.build import warm_sphinx

pytestmark = pytest.mark.build

JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")


def _book(folder: Path, extensions: list[str] | None = None) -> Path:
    config = [
        "title: Tiny",
        "author: Test",
        "only_build_toc_files: true",
        "execute:",
        '  execute_notebooks: "off"',
        "sphinx:",
        "  config:",
        "    html_search_language: zh",
    ]
    if extensions:
        config.append("  extra_extensions: [" + ", ".join(extensions) + "]")
    folder.mkdir()
    (folder / "_config.yml").write_text("\n".join(config) + "\n")
    (folder / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n- file: page\n")
    (folder / "index.md").write_text("# 不良贷款 Tiny\n\nBad loans (不良贷款) and housing (住房).\n")
    (folder / "page.md").write_text("# Page\n\nA second page about 房地产 and mortgages.\n")
    return folder


def _command(source: Path, out: Path) -> list[str]:
    return [JUPYTER_BOOK, "build", str(source), "--path-output", str(out), "--builder", "html", "-W", "-n"]


def _files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_warmed_process_builds_the_site_a_fresh_process_builds(tmp_path):
    """Warmed by the configuration alone (the first build, which lists its modules), then by the
    modules the first build listed: both sites are the fresh process's, byte for byte."""
    source, modules = _book(tmp_path / "book"), tmp_path / "modules.json"
    fresh = subprocess.run(_command(source, tmp_path / "fresh"), capture_output=True, text=True)
    assert fresh.returncode == 0, fresh.stdout[-2000:] + fresh.stderr[-2000:]
    expected = _files(tmp_path / "fresh" / "_build" / "html")
    assert "searchindex.js" in expected and "index.html" in expected
    for run in ("first", "second"):
        with warm_sphinx.started(source / "_config.yml", source, dict(os.environ), modules) as sphinx:
            warm = sphinx.run(_command(source, tmp_path / run))
        assert warm.returncode == 0, warm.stdout[-2000:] + warm.stderr[-2000:]
        assert "build succeeded" in warm.stdout
        site = _files(tmp_path / run / "_build" / "html")
        assert sorted(site) == sorted(expected)
        assert [name for name in site if site[name] != expected[name]] == [], run
        # what setup() imports lazily is listed for the next build to import while it waits
        assert "myst_nb.sphinx_ext" in json.loads(modules.read_text())
        # The warm process ends without the interpreter's teardown (helpers.build.quick_exit):
        # Sphinx's doctrees are the fresh process's, and its environment is whole, since a fresh
        # process building into the same folder (below) finds nothing to read again.
        doctrees = _files(tmp_path / run / "_build" / ".doctrees")
        fresh_doctrees = _files(tmp_path / "fresh" / "_build" / ".doctrees")
        assert sorted(doctrees) == sorted(fresh_doctrees)
        assert [n for n in doctrees if n.endswith(".doctree") and doctrees[n] != fresh_doctrees[n]] == []
    again = subprocess.run(_command(source, tmp_path / "second"), capture_output=True, text=True)
    assert again.returncode == 0 and "0 added, 0 changed, 0 removed" in again.stdout, again.stdout[-2000:]


def test_an_extension_that_fails_to_import_is_reported_by_the_build(tmp_path):
    source = _book(tmp_path / "book", extensions=["no_such_extension_module"])
    fresh = subprocess.run(_command(source, tmp_path / "fresh"), capture_output=True, text=True)
    with warm_sphinx.started(source / "_config.yml", source, dict(os.environ)) as sphinx:
        warm = sphinx.run(_command(source, tmp_path / "warm"))
    assert fresh.returncode != 0 and warm.returncode == fresh.returncode
    assert "no_such_extension_module" in fresh.stdout + fresh.stderr
    assert "no_such_extension_module" in warm.stdout + warm.stderr


def test_a_process_the_build_does_not_use_is_stopped_and_runs_once(tmp_path):
    source = _book(tmp_path / "book")
    with warm_sphinx.started(source / "_config.yml", source, dict(os.environ)) as sphinx:
        process = sphinx.process
    assert process.poll() is not None, "an unused warm Sphinx process outlived the build"
    assert not (source / "_build").exists(), "an unused warm process wrote a build"
    with warm_sphinx.started(source / "_config.yml", source, dict(os.environ)) as sphinx:
        # it warms up at the build's own priority, and makes way when pages start
        assert os.getpriority(os.PRIO_PROCESS, sphinx.process.pid) == os.getpriority(os.PRIO_PROCESS, 0)
        sphinx.make_way()
        assert os.getpriority(os.PRIO_PROCESS, sphinx.process.pid) == 19
        version = sphinx.run([JUPYTER_BOOK, "--version"])
        assert version.returncode == 0 and "Jupyter Book" in version.stdout
        with pytest.raises(RuntimeError, match="one build"):
            sphinx.run(_command(source, tmp_path / "twice"))


def test_kept_entry_points_answer_every_selection_as_importlib_does(monkeypatch):
    import importlib.metadata as metadata

    original = metadata.entry_points
    monkeypatch.setattr(metadata, "entry_points", original)
    warm_sphinx.keep_entry_points()
    kept = metadata.entry_points
    assert kept is not original
    everything = original()
    assert kept().groups == everything.groups and kept().names == everything.names
    for group in sorted(everything.groups):
        assert list(kept(group=group)) == list(original(group=group)), group
    assert list(kept(group="pygments.lexers", name="ipython3")) == list(
        original(group="pygments.lexers", name="ipython3")
    )
