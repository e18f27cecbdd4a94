"""Lint the code cells of MyST notebook pages with ruff, in one ruff run for all pages.

``python -m helpers.build.lint [FILE …]`` checks the given pages, or every notebook page under
``chapters/``, ``back/`` and ``templates/``; exits non-zero listing ``page.md:line:column: CODE
message`` problems, with the line and column of the page itself. Used by pre-commit and by the
test suite.

How: each page is read with jupytext in this process, its code cells are written as one
``py:percent`` script into a scratch folder that mirrors the project (``chapters/x.py`` …) beside
a copy of ``pyproject.toml`` (so ruff applies the project's rules and per-file ignores), and
ruff runs once over the folder. Each reported script line is mapped back to the page line.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from helpers.build.pipeline import ROOT, is_notebook

PAGE_FOLDERS = ("chapters", "back", "templates")
_PROBLEM = re.compile(r"^(?P<file>[^:]+\.py):(?P<line>\d+):(?P<col>\d+): (?P<rest>.*)$")


class LintError(RuntimeError):
    """ruff could not run (not a problem in a page)."""


def notebook_pages(paths=None) -> list[Path]:
    """The MyST notebook pages to check (plain Markdown pages are skipped)."""
    if paths:
        candidates = [Path(p).resolve() for p in paths]
    else:
        candidates = [p for folder in PAGE_FOLDERS for p in sorted((ROOT / folder).glob("*.md"))]
    return [p for p in candidates if is_notebook(p)]


def _script(page: Path) -> tuple[str, list[int]]:
    """The page's code cells as a percent script, and for each script line (1-based) the page
    line it comes from (0 for the ``# %%`` separators)."""
    import jupytext

    text = page.read_text(encoding="utf-8")
    notebook = jupytext.reads(text, fmt="md:myst")
    lines: list[str] = []
    origin: list[int] = []
    position = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        start = text.find(cell.source, position) if cell.source else -1
        first = text.count("\n", 0, start) + 1 if start >= 0 else 0
        if start >= 0:
            position = start + len(cell.source)
        lines.append("# %%")
        origin.append(0)
        for offset, line in enumerate(cell.source.splitlines()):
            # jupytext comments out magics in scripts; ruff cannot read them
            lines.append("# " + line if line.lstrip().startswith(("%", "!")) else line)
            origin.append(first + offset if first else 0)
        lines.append("")
        origin.append(0)
    return "\n".join(lines).rstrip("\n") + "\n", origin


def _relative(page: Path, index: int) -> Path:
    """Where the page's script goes in the scratch folder: its path in the project, or
    ``chapters/outside-<n>-<name>`` for a page outside it (linted as a chapter)."""
    if page.is_relative_to(ROOT) and page.relative_to(ROOT).parts[0] in PAGE_FOLDERS:
        return page.relative_to(ROOT)
    return Path("chapters") / f"outside-{index}-{page.name}"


def lint(paths=None) -> list[str]:
    """Problems found by ``ruff check`` in the pages' code cells (empty when clean)."""
    pages = notebook_pages(paths)
    if not pages:
        return []
    ruff = shutil.which(
        "ruff", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    )
    if ruff is None:
        raise LintError("ruff is not installed (make book installs it from the lock)")
    with tempfile.TemporaryDirectory(prefix="book-lint-") as tmp:
        scratch = Path(tmp)
        shutil.copy(ROOT / "pyproject.toml", scratch / "pyproject.toml")
        mapping: dict[str, tuple[Path, list[int]]] = {}
        for index, page in enumerate(pages):
            rel = _relative(page, index).with_suffix(".py")
            script, origin = _script(page)
            (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
            (scratch / rel).write_text(script, encoding="utf-8")
            mapping[str(rel)] = (page, origin)
        result = subprocess.run(
            [ruff, "check", "--quiet", "--no-cache", "--output-format", "concise", *sorted(mapping)],
            cwd=scratch,
            capture_output=True,
            text=True,
        )
    if result.returncode not in (0, 1):
        raise LintError(f"ruff failed: {result.stderr.strip()[-500:]}")
    problems = []
    for line in result.stdout.splitlines():
        match = _PROBLEM.match(line)
        if not match or match["file"] not in mapping:
            continue
        page, origin = mapping[match["file"]]
        number = int(match["line"])
        page_line = origin[number - 1] if 0 < number <= len(origin) else 0
        name = page.relative_to(ROOT) if page.is_relative_to(ROOT) else page
        problems.append(f"{name}:{page_line or '?'}:{match['col']}: {match['rest']}")
    return problems


def main(argv=None) -> int:
    problems = lint(sys.argv[1:] if argv is None else argv)
    print("\n".join(problems) if problems else "chapter code cells: clean")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
