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


def test_lint_finds_a_problem(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        (ROOT / "chapters" / "overview.md").read_text().split("# The bad-loan")[0]
        + "# Page\n\n```{code-cell} ipython3\nimport os\nprint(undefined_name)\n```\n"
    )
    problems = lint.lint([page])
    assert any("F821" in p for p in problems) and any("F401" in p for p in problems)
