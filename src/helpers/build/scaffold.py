"""Start a new chapter from ``templates/chapter.md``: ``make chapter NAME=<name> TITLE="…"``.

It writes ``chapters/<name>.md`` (the template, with the title set and its figure label made
unique) and adds ``- file: chapters/<name>`` at the end of the *Chapters* part of ``_toc.yml``,
leaving the rest of that file as it was. Data, helpers and ledger checks are the author's next
steps; the command prints them.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TEMPLATE = "templates/chapter.md"
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class ScaffoldError(ValueError):
    """A chapter that cannot be created as asked (bad name, existing file, unexpected toc)."""


def chapter_text(template: str, name: str, title: str) -> str:
    """The template with ``# CHAPTER TITLE`` replaced and the example figure renamed for ``name``."""
    if "# CHAPTER TITLE" not in template:
        raise ScaffoldError(f"{TEMPLATE} has no '# CHAPTER TITLE' heading to replace")
    text = template.replace("# CHAPTER TITLE", f"# {title.strip()}", 1)
    return text.replace("fig-template-example", f"fig-{name.replace('_', '-')}-example")


def add_to_toc(toc: str, name: str) -> str:
    """Append ``- file: chapters/<name>`` to the ``Chapters`` part of ``_toc.yml`` text.

    The entry goes after the last ``- file:`` line of that part, with the same indentation.
    """
    lines = toc.splitlines(keepends=True)
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip() == "- caption: Chapters")
    except StopIteration:
        raise ScaffoldError("_toc.yml has no part '- caption: Chapters'") from None
    last = None
    for i in range(start + 1, len(lines)):
        if lines[i].strip().startswith("- caption:"):
            break
        if lines[i].strip().startswith("- file:"):
            last = i
    if last is None:
        raise ScaffoldError("the Chapters part of _toc.yml lists no chapter to add after")
    entry = f"chapters/{name}"
    if any(ln.strip() == f"- file: {entry}" for ln in lines):
        raise ScaffoldError(f"_toc.yml already lists {entry}")
    indent = lines[last][: len(lines[last]) - len(lines[last].lstrip())]
    lines.insert(last + 1, f"{indent}- file: {entry}\n")
    return "".join(lines)


def new_chapter(name: str, title: str, root: Path = ROOT) -> Path:
    """Create ``chapters/<name>.md`` from the template and list it in ``_toc.yml``; return its path."""
    if not NAME.match(name or ""):
        raise ScaffoldError(f"chapter name {name!r}: use lowercase letters, digits and _ (e.g. bank_capital)")
    if not (title or "").strip():
        raise ScaffoldError('give the chapter a title: TITLE="…"')
    target = root / "chapters" / f"{name}.md"
    if target.exists():
        raise ScaffoldError(f"{target.relative_to(root)} already exists")
    toc_path = root / "_toc.yml"
    toc = add_to_toc(toc_path.read_text(encoding="utf-8"), name)
    text = chapter_text((root / TEMPLATE).read_text(encoding="utf-8"), name, title)
    target.write_text(text, encoding="utf-8")
    toc_path.write_text(toc, encoding="utf-8")
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.build.scaffold", description=__doc__.split("\n")[0]
    )
    parser.add_argument("name")
    parser.add_argument("title")
    args = parser.parse_args(argv)
    try:
        path = new_chapter(args.name, args.title)
    except ScaffoldError as exc:
        print(f"cannot create the chapter: {exc}", file=sys.stderr)
        return 2
    print(
        f"created {path.relative_to(ROOT)} and listed it in _toc.yml. Next:\n"
        f"  1. data: data/<area>_*.csv, described in data/datapackage.json\n"
        f"  2. models in src/helpers/models/; the page's tables, figures, numbers() and ledger.py in\n"
        f"     src/helpers/chapters/{args.name}/; tests in tests/\n"
        f"  3. write the page; `make preview` rebuilds it on every save; then `make test`"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
