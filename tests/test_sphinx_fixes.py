"""helpers.build.sphinx_fixes: an incremental build's search index lists every page's index
entries, as a cold build's does (sphinx-doc/sphinx#12599 in the pinned Sphinx loses them).

A scratch Sphinx project of three pages, one with a glossary and one with an index target, is
built cold; one page without entries is edited and built again incrementally; the search index
must equal, byte for byte, that of a cold build of the edited sources. Without the extension the
pinned Sphinx fails that (checked here too, so the test says when the upstream fix arrives and
the extension can go).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.build

PAGES = {
    "index.rst": "Tiny\n====\n\n.. toctree::\n\n   glossary\n   notes\n   prose\n",
    "glossary.rst": (
        "Glossary\n========\n\n.. glossary::\n\n   NPL\n      A non-performing loan (不良贷款).\n\n"
        "   LTV\n      Loan to value.\n"
    ),
    "notes.rst": "Notes\n=====\n\n.. index:: collateral; sale\n\nCollateral is sold.\n",
    "prose.rst": "Prose\n=====\n\nA paragraph about bad loans.\n",
}


def _project(folder: Path, fixed: bool) -> Path:
    folder.mkdir(parents=True)
    extensions = ["helpers.build.sphinx_fixes"] if fixed else []
    (folder / "conf.py").write_text(f"project = 'Tiny'\nextensions = {extensions!r}\n")
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _build(source: Path, out: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(source), str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    text = (out / "searchindex.js").read_text(encoding="utf-8")
    return {"text": text, "index": json.loads(text[text.index("(") + 1 : text.rindex(")")])}


@pytest.mark.parametrize("fixed", [True, False])
def test_an_incremental_build_keeps_every_pages_index_entries(tmp_path, fixed):
    source = _project(tmp_path / "src", fixed)
    cold = _build(source, tmp_path / "out")
    assert {"npl", "ltv", "collateral", "sale"} <= set(cold["index"]["indexentries"])
    prose = source / "prose.rst"
    prose.write_text(prose.read_text() + "\nA second paragraph.\n", encoding="utf-8")
    incremental = _build(source, tmp_path / "out")
    fresh = _build(_copy(source, tmp_path / "fresh-src"), tmp_path / "fresh-out")
    assert "second" in fresh["index"]["terms"]
    if fixed:
        assert incremental["text"] == fresh["text"]
    else:  # the pinned Sphinx's defect, which the extension mends
        assert incremental["index"]["indexentries"] == {}
        assert fresh["index"]["indexentries"] != {}


def test_a_page_written_again_is_indexed_anew_and_a_page_removed_leaves_no_entry(tmp_path):
    source = _project(tmp_path / "src", fixed=True)
    _build(source, tmp_path / "out")
    # the glossary page is written again with one term fewer; the notes page leaves the book
    glossary = source / "glossary.rst"
    glossary.write_text(glossary.read_text().split("   LTV")[0], encoding="utf-8")
    (source / "notes.rst").unlink()
    (source / "index.rst").write_text(PAGES["index.rst"].replace("   notes\n", ""), encoding="utf-8")
    incremental = _build(source, tmp_path / "out")
    fresh = _build(_copy(source, tmp_path / "fresh-src"), tmp_path / "fresh-out")
    assert set(incremental["index"]["indexentries"]) == {"npl"}
    assert incremental["index"]["indexentries"] == fresh["index"]["indexentries"]


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("_build"))
    return target
