"""Lint the code cells of MyST notebook pages with ruff (through jupytext).

``python -m helpers.build.lint [FILE …]`` checks the given pages, or every notebook page under
``chapters/``, ``back/`` and ``templates/``; exits non-zero listing ``file:line`` problems (line numbers refer
to jupytext's script rendering of the page). Used by pre-commit and by the test suite.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from helpers.build.pipeline import ROOT, is_notebook


def notebook_pages(paths=None) -> list[Path]:
    """The MyST notebook pages to check (plain Markdown pages are skipped)."""
    if paths:
        candidates = [Path(p).resolve() for p in paths]
    else:
        candidates = (
            sorted((ROOT / "chapters").glob("*.md"))
            + sorted((ROOT / "back").glob("*.md"))
            + sorted((ROOT / "templates").glob("*.md"))
        )
    return [p for p in candidates if is_notebook(p)]


def lint(paths=None) -> list[str]:
    """Problems found by ``ruff check`` in each page's code cells (empty when clean)."""
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    problems = []
    for page in notebook_pages(paths):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "jupytext",
                "--check",
                "ruff check --quiet --output-format concise {}",
                str(page),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            name = page.relative_to(ROOT) if page.is_relative_to(ROOT) else page
            output = (result.stdout + result.stderr).splitlines()
            found = [ln for ln in output if re.match(r"^\S+\.py:\d+:\d+: ", ln)]
            problems += [f"{name}: {ln.split(':', 1)[1]}" for ln in found] or [
                f"{name}: {result.stderr.strip()[-300:]}"
            ]
    return problems


def main(argv=None) -> int:
    problems = lint(sys.argv[1:] if argv is None else argv)
    print("\n".join(problems) if problems else "chapter code cells: clean")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
