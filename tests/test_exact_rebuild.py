"""Each page is executed again when, and only when, something it used changed.

On a scratch copy of the project with four small pages:

* ``a`` imports ``helpers.chapters.alpha`` (which imports ``gamma``) and loads one table;
* ``b`` imports ``helpers.chapters.beta``, loads another table, and prints a docstring;
* ``c`` reads the data package as a whole (the resource list), as the catalogue does, and the
  ledger's findings table and one cells file (files of ``data/`` that are no package resource),
  as the ledger and errata pages do;
* ``d`` imports only ``helpers.book.units``;
* ``e`` calls ``helpers.chapters.delta``, which warns: its output quotes the module's path and a
  line number.

Every page prints ``time.time_ns()``, so a stored output that was not recomputed is told apart
from a fresh one: a page "ran" only if its stamp changed. One cold execution is shared; each test
starts from its own copy of it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.build

FRONT = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""


def page(title: str, prose: str, code: str, tags: str = "") -> str:
    tag_line = f":tags: [{tags}]\n" if tags else ""
    return (
        FRONT
        + f"\n# {title}\n\n{prose}\n\n```{{code-cell}} ipython3\n:tags: [parameters]\nscale = 1\n```\n\n"
        + f"```{{code-cell}} ipython3\n{tag_line}import time\n{code}\nprint('stamp', time.time_ns())\n```\n\nThe end.\n"
    )


MODULES = {
    "gamma.py": '"""Gamma: a base number."""\n\nBASE = 21\n',
    "alpha.py": (
        '"""Alpha: a scratch chapter module."""\n\nfrom helpers.chapters import gamma\n\n\n'
        'def value():\n    """Twice gamma\'s base."""\n    return 2 * gamma.BASE  # the answer\n'
    ),
    "beta.py": '"""Beta."""\n\n\ndef value():\n    """Beta\'s value is seven."""\n    return 7\n',
    "delta.py": (
        '"""Delta warns."""\n\nimport warnings\n\n\ndef value():\n'
        '    warnings.warn("careful", stacklevel=1)\n    return 1\n'
    ),
}


def _tables() -> list[str]:
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text())
    return [r["name"] for r in descriptor["resources"]][:2]


def _pages(first: str, second: str) -> dict[str, str]:
    return {
        "a": page(
            "Page A",
            "Prose of page A.",
            f"from helpers.book import data\nfrom helpers.chapters import alpha\n"
            f"print('A', alpha.value() * scale, len(data.load({first!r})))",
        ),
        "b": page(
            "Page B",
            "Prose of page B.",
            f"from helpers.book import data\nfrom helpers.chapters import beta\n"
            f"print('B', beta.value(), len(data.load({second!r})), beta.value.__doc__)",
        ),
        "c": page(
            "Page C",
            "The catalogue.",
            "from helpers.book import data, ledger\n"
            "print('C', len(data.resource_names()), len(ledger.findings()),"
            " len(ledger.read_cells(ledger.cells_paths()[0])))",
        ),
        "d": page("Page D", "Units only.", "from helpers.book import units\nprint('D', len(units.UNITS))"),
        # the build refuses a cell that warns unless it is tagged allow-warning
        "e": page(
            "Page E",
            "A warning.",
            "from helpers.chapters import delta\nprint('E', delta.value())",
            "allow-warning",
        ),
    }


def run_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(project / "src"))
    env.pop("BOOK_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "helpers.build", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def executed_once(tmp_path_factory):
    """The scratch project after one cold execution of its four pages."""
    project = tmp_path_factory.mktemp("cold") / "project"
    project.mkdir()
    for name in ("src", "data", "seeds"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "requirements.lock", project / "requirements.lock")
    for name, text in MODULES.items():
        (project / "src" / "helpers" / "chapters" / name).write_text(text)
    (project / "chapters").mkdir()
    for name, text in _pages(*_tables()).items():
        (project / "chapters" / f"{name}.md").write_text(text)
    (project / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/a\nchapters:\n"
        + "".join(f"  - file: chapters/{n}\n" for n in "bcde")
    )
    result = run_build(project, "execute")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "executing 5 page(s)" in result.stdout
    return project


@pytest.fixture
def project(executed_once, tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(executed_once, copy)
    return copy


def stamps(project: Path) -> dict[str, str]:
    """Each page's printed time stamp, from its executed notebook."""
    found = {}
    for name in "abcde":
        text = (project / "_build" / "executed" / "chapters" / f"{name}.ipynb").read_text()
        found[name] = re.search(r"stamp (\d+)", text).group(1)
    return found


def rebuild(project: Path) -> tuple[set[str], set[str]]:
    """Execute again; return the pages that ran (their stamp changed) and those rendered."""
    before = stamps(project)
    result = run_build(project, "execute")
    assert result.returncode == 0, result.stdout + result.stderr
    after = stamps(project)
    ran = {name for name in before if before[name] != after[name]}
    announced = re.search(r"executing \d+ page\(s\): (.*)", result.stdout)
    assert ran == ({p.strip().split("/")[-1] for p in announced.group(1).split(",")} if announced else set())
    rendered = re.search(r"rendered with stored outputs: (.*)", result.stdout)
    return ran, {p.strip().split("/")[-1] for p in rendered.group(1).split(",")} if rendered else set()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def module(project: Path, name: str) -> Path:
    return project / "src" / "helpers" / "chapters" / f"{name}.py"


def test_nothing_changed_nothing_runs(project):
    assert rebuild(project) == (set(), set())


def test_prose_edit_renders_with_stored_outputs_and_new_text(project):
    executed = project / "_build" / "executed" / "chapters" / "a.ipynb"
    old_stamp = stamps(project)["a"]
    edit(project / "chapters" / "a.md", "Prose of page A.", "Prose of page A, rewritten.")
    edit(project / "chapters" / "a.md", "The end.", "The end, and a new paragraph.")
    assert rebuild(project) == (set(), {"a"})
    text = executed.read_text()
    assert "Prose of page A, rewritten." in text and "a new paragraph" in text
    assert "Prose of page A." not in text
    assert stamps(project)["a"] == old_stamp
    assert "A 42" in text, "the stored outputs are kept"
    assert rebuild(project) == (set(), set()), "the rendered page is then up to date"
    # the same text rendered again writes the same notebook, byte for byte (cell ids included)
    rendered = executed.read_bytes()
    edit(project / "chapters" / "a.md", "a new paragraph.", "another paragraph.")
    assert rebuild(project) == (set(), {"a"})
    edit(project / "chapters" / "a.md", "another paragraph.", "a new paragraph.")
    assert rebuild(project) == (set(), {"a"})
    assert executed.read_bytes() == rendered


def test_a_changed_cell_tag_is_rendered_not_executed(project):
    edit(
        project / "chapters" / "d.md",
        "```{code-cell} ipython3\nimport time",
        "```{code-cell} ipython3\n:tags: [remove-input]\nimport time",
    )
    assert rebuild(project) == (set(), {"d"})
    nb = json.loads((project / "_build" / "executed" / "chapters" / "d.ipynb").read_text())
    assert any("remove-input" in c["metadata"].get("tags", []) for c in nb["cells"])


def test_code_edit_runs_that_page_only(project):
    edit(project / "chapters" / "d.md", "print('D', len(units.UNITS))", "print('D!', len(units.UNITS))")
    assert rebuild(project) == ({"d"}, set())
    assert "D!" in (project / "_build" / "executed" / "chapters" / "d.ipynb").read_text()


def test_comments_docstrings_and_layout_in_a_helper_run_nothing(project):
    alpha = module(project, "alpha")
    edit(alpha, '"""Twice gamma\'s base."""', '"""Twice gamma\'s base, reworded."""\n\n    # a comment')
    edit(alpha, "# the answer", "# a different comment")
    edit(alpha, '"""Alpha: a scratch chapter module."""', '"""Alpha, described again."""\n# top comment\n')
    assert rebuild(project) == (set(), set())


def test_a_real_change_in_a_helper_runs_its_importers_only(project):
    edit(module(project, "alpha"), "return 2 * gamma.BASE", "return 3 * gamma.BASE")
    assert rebuild(project) == ({"a"}, set())
    assert "A 63" in (project / "_build" / "executed" / "chapters" / "a.ipynb").read_text()


def test_a_change_in_a_module_imported_through_another_runs_the_page(project):
    edit(module(project, "gamma"), "BASE = 21", "BASE = 22")
    assert rebuild(project) == ({"a"}, set())


def test_a_docstring_the_page_prints_counts(project):
    edit(module(project, "beta"), "Beta's value is seven.", "Beta's value is 7.")
    assert rebuild(project) == ({"b"}, set())
    assert "Beta's value is 7." in (project / "_build" / "executed" / "chapters" / "b.ipynb").read_text()


def test_a_changed_table_runs_the_pages_that_loaded_it_and_the_catalogue(project):
    first, _ = _tables()
    descriptor = json.loads((project / "data" / "datapackage.json").read_text())
    path = next(r["path"] for r in descriptor["resources"] if r["name"] == first)
    rows = list(csv.reader(io.StringIO((project / "data" / path).read_text(encoding="utf-8"))))
    rows[1][rows[0].index("locator")] += " (checked again)"  # a valid change to one cell
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (project / "data" / path).write_text(out.getvalue(), encoding="utf-8")
    assert rebuild(project) == ({"a", "c"}, set())


def test_a_changed_descriptor_entry_runs_its_loaders_and_the_catalogue(project):
    _, second = _tables()
    path = project / "data" / "datapackage.json"
    descriptor = json.loads(path.read_text())
    entry = next(r for r in descriptor["resources"] if r["name"] == second)
    entry["description"] = entry.get("description", "") + " Described again."
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False))
    assert rebuild(project) == ({"b", "c"}, set())


def test_a_changed_findings_table_runs_the_pages_that_read_it(project):
    findings = project / "data" / "ledger" / "findings.csv"
    rows = list(csv.reader(io.StringIO(findings.read_text(encoding="utf-8-sig"))))
    rows[1][rows[0].index("title")] += " (reworded)"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    findings.write_text(out.getvalue(), encoding="utf-8")
    assert rebuild(project) == ({"c"}, set())


def test_a_changed_ledger_cells_file_runs_the_pages_that_read_it(project):
    cells = project / "data" / "ledger" / "cells" / "disposals.csv"  # the file page c reads
    cells.write_text(cells.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # valid, bytes changed
    assert rebuild(project) == ({"c"}, set())


def test_a_build_tool_change_runs_nothing(project):
    tool = project / "src" / "helpers" / "build" / "preview.py"
    tool.write_text(tool.read_text() + "\nREAL_CHANGE = 1\n")
    assert rebuild(project) == (set(), set())


def test_a_changed_lock_runs_every_page(project):
    lock = project / "requirements.lock"
    lock.write_text(lock.read_text() + "# re-pinned\n")
    assert rebuild(project) == (set("abcde"), set())


def test_a_removed_module_runs_its_importer_which_then_fails(project):
    module(project, "beta").unlink()
    result = run_build(project, "execute")
    assert result.returncode == 1
    assert "executing 1 page(s): chapters/b" in result.stdout
    assert "src/helpers/chapters/beta.py is gone" in result.stdout
    assert "ImportError: cannot import name 'beta'" in result.stderr


def test_a_comment_that_moves_a_line_number_quoted_in_the_outputs_runs_the_page(project):
    executed = project / "_build" / "executed" / "chapters" / "e.ipynb"
    assert "delta.py:7: UserWarning: careful" in executed.read_text()
    edit(
        module(project, "delta"),
        '"""Delta warns."""',
        '"""Delta warns."""\n# a comment moves every line down',
    )
    assert rebuild(project) == ({"e"}, set())
    assert "delta.py:8: UserWarning: careful" in executed.read_text()
