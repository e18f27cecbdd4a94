"""Code quality gates that pre-commit also runs: ruff on the helpers and on chapter code cells."""

import subprocess
import sys
from pathlib import Path

from helpers.build import lint

ROOT = Path(__file__).resolve().parents[1]
RUFF = Path(sys.executable).parent / "ruff"


def test_ruff_check_helpers_tests_benchmarks():
    result = subprocess.run(
        [str(RUFF), "check", "src", "tests", "benchmarks"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_ruff_format_helpers_tests_benchmarks():
    result = subprocess.run(
        [str(RUFF), "format", "--check", "src", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_chapter_code_cells_are_clean():
    assert lint.lint() == []


def _page_with(tmp_path: Path, cells: list[str]) -> Path:
    """A notebook page: the overview's front matter, a heading, then the given code cells."""
    front = (ROOT / "chapters" / "overview.md").read_text().split("\n---\n", 1)[0] + "\n---\n"
    body = "".join(f"\nSome prose.\n\n```{{code-cell}} ipython3\n{code}\n```\n" for code in cells)
    page = tmp_path / "page.md"
    page.write_text(front + "\n# Page\n" + body)
    return page


def _line_of(page: Path, text: str) -> int:
    return next(i for i, line in enumerate(page.read_text().splitlines(), 1) if text in line)


def test_lint_names_the_page_line_and_column_of_each_problem(tmp_path):
    page = _page_with(
        tmp_path,
        [":tags: [parameters]\nx = 1", "import os\nprint(undefined_name)", "y = x\n\nprint(also_undefined)"],
    )
    problems = lint.lint([page])
    assert problems == [
        f"{page}:{_line_of(page, 'import os')}:8: F401 [*] `os` imported but unused",
        f"{page}:{_line_of(page, 'print(undefined_name)')}:7: F821 Undefined name `undefined_name`",
        f"{page}:{_line_of(page, 'print(also_undefined)')}:7: F821 Undefined name `also_undefined`",
    ]


def test_lint_applies_the_chapter_ignores_and_reads_magics(tmp_path):
    # E402 (imports after the parameters cell) and B018 (a cell's last expression is its output)
    # are allowed in chapters by pyproject.toml; a magic line is not Python and is skipped.
    page = _page_with(tmp_path, [":tags: [parameters]\nx = 1", "%matplotlib inline\nimport math\nmath.pi"])
    assert lint.lint([page]) == []


def test_lint_checks_every_page_in_one_ruff_run(tmp_path, monkeypatch):
    pages = []
    for i in range(3):
        (tmp_path / str(i)).mkdir()
        pages.append(_page_with(tmp_path / str(i), ["import os"]))
    calls = []
    real_run = subprocess.run

    def counting_run(cmd, *args, **kwargs):
        calls.append(cmd)
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(lint.subprocess, "run", counting_run)
    problems = lint.lint(pages)
    assert len(calls) == 1
    assert [p.split(":")[0] for p in problems] == [str(p) for p in pages]
