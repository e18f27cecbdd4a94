"""The prose lint: no source figure typed into a chapter's prose, and none typed into a ledger note."""

from pathlib import Path

from helpers.build import prose_lint

ROOT = Path(__file__).resolve().parents[1]
VALUES = {
    41.0: {"x.csv"},
    40.7: {"x.csv"},
    1.5: {"y.csv"},
    34.16: {"z.csv"},
    2024.0: {"d.csv"},
    22.0: {"f.csv"},
}

PAGE = """---
jupytext:
  formats: md:myst
---

# A page

Rent capitalisation fell from 41.0 years to {glue:text}`cap:.1f` years.

```{code-cell} ipython3
x = 40.7
```

Dates and labels pass: 2024, 2024Q1, 1H25, 图表22, 图表19–22, §一.2, Figure 3, March 2024.
The digest's "约1.5%" is typed here, and `34.16` in inline code is not prose.

% prose-lint: allow 22 (a parameter range)
A paragraph that may type 22,
and goes on.

But 22 here is flagged again.

```{glue:figure} fig-x
:name: fig-x

A caption that types 40.7 years.
```
"""


def test_the_chapters_type_no_source_figure():
    problems = prose_lint.lint()
    assert problems == [], "\n".join(problems)


def test_a_typed_figure_is_found_with_page_and_line(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    problems = prose_lint.lint([page], values=VALUES)
    found = {(p.split(":")[1], p.split(": ")[1].split(" ")[0]) for p in problems}
    lines = PAGE.split("\n")

    def line_of(text):
        return str(next(i for i, ln in enumerate(lines, start=1) if text in ln))

    assert found == {
        (line_of("fell from 41.0"), "41.0"),
        (line_of("约1.5%"), "1.5"),
        (line_of("But 22 here"), "22"),
        (line_of("A caption that types"), "40.7"),
    }
    assert all(p.startswith(str(page)) or "page.md" in p for p in problems)


def test_numbers_in_drops_roles_code_dates_and_labels():
    assert prose_lint.numbers_in("{glue:text}`x:.1f` and `3.5` in 2024Q1 (图表22, §一.2)") == []
    assert prose_lint.numbers_in("fell 0.5 % in October 2025") == ["0.5"]
    assert prose_lint.numbers_in("about 70,000 homes in 70 cities") == ["70,000"]


def test_ledger_notes_type_no_source_figure():
    values = prose_lint.data_values()
    problems = []
    for module in sorted((ROOT / "src" / "helpers" / "chapters").glob("*/ledger.py")):
        problems += prose_lint.typed_numbers_in_code(module, values)
    assert problems == [], "\n".join(problems)


def test_typed_numbers_in_code_flags_plain_strings_not_fields(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""Doc 41.0."""\nA = f"{x:.1f} years"\nB = "from 41.0 years"\n', encoding="utf-8")
    problems = prose_lint.typed_numbers_in_code(module, VALUES)
    assert problems == ["m.py:3: 41.0 typed in a string; quote it from the data"]


def test_an_allowance_before_a_figure_covers_its_caption(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# P\n\n% prose-lint: allow 40.7 (a table header)\n```{glue:figure} f\n:name: f\n\n"
        "A caption with 40.7 in it.\n```\n\nAnd 40.7 after it is flagged.\n",
        encoding="utf-8",
    )
    problems = prose_lint.lint([page], values=VALUES)
    assert [p.split(":")[1] for p in problems] == ["10"]
