"""The prose lint: no source figure typed into a chapter's prose, nor into a helper's reader-facing string."""

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


def test_the_helpers_strings_type_no_source_figure():
    """Every module under src/helpers/chapters and src/helpers/book: titles, labels, tooltips, table
    rows, verdicts and ledger notes take source figures from data/."""
    problems = prose_lint.lint_helpers()
    assert problems == [], "\n".join(problems)


def test_the_helper_lint_covers_every_chapter_and_book_module():
    modules = {p.relative_to(ROOT).as_posix() for p in prose_lint.helper_modules()}
    assert "src/helpers/chapters/cycle/figures.py" in modules
    assert "src/helpers/chapters/housing_policy/figures.py" in modules
    assert "src/helpers/book/tables.py" in modules
    assert all(m.startswith(("src/helpers/chapters/", "src/helpers/book/")) for m in modules)


def test_typed_numbers_in_code_flags_plain_strings_not_fields(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""Doc 41.0."""\nA = f"{x:.1f} years"\nB = "from 41.0 years"\n', encoding="utf-8")
    problems = prose_lint.typed_numbers_in_code(module, VALUES)
    assert problems == [
        f"{module}:3: 41.0 typed in a string equals a value in data/ (x.csv); take it from the data"
    ]


# The strings that typed the regulators' provision-coverage floor before it was taken from
# retail_facts (cycle/__init__.py, cycle/figures.py, the loss table's row label): checked against
# the real data/, the lint must name each one with its line.
OLD_CYCLE_STRINGS = """\
def verdicts(over):
    return {
        "v_excess": (
            "more than the provisions banks hold above the 150 % coverage floor, and the rest would take"
            if over
            else "within the provisions banks hold above the 150 % coverage floor, so it would take"
        ),
    }


say = dict(
    line2=(
        "datum.years > 0 ? format(datum.years, '.1f') + ' years of profit beyond the excess provisions'"
        " : 'inside the provisions above 150 % cover'"
    ),
)
LABELS = ["Provisions above 150 % cover", "… plus one year of profit", "All provisions"]
DESCRIPTION = (
    f"By the last year the range runs from {lo:.1f} to {hi:.1f} trillion yuan; dashed lines mark provisions above "
    f"150 % cover ({excess:.1f})."
)
"""


def test_the_typed_coverage_floor_is_caught_with_file_and_line(tmp_path):
    module = tmp_path / "old_cycle.py"
    module.write_text(OLD_CYCLE_STRINGS, encoding="utf-8")
    problems = prose_lint.typed_numbers_in_code(module)
    lines = OLD_CYCLE_STRINGS.split("\n")
    expected = [i for i, line in enumerate(lines, start=1) if "150 %" in line]
    assert len(expected) == 5
    assert [int(p.split(":")[1]) for p in problems] == expected
    assert all(p.startswith(f"{module}:") and ": 150 typed in a string" in p for p in problems)
    assert all("retail_facts.csv" in p for p in problems)


def test_typed_numbers_in_code_reads_fields_allowances_and_skips_patterns(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "import re\n"
        'A = f"{41.0} years"\n'  # a figure typed straight into a field
        'B = f"{x:>{w}} {y:40.7}"\n'  # a format spec is no text
        'C = re.compile(r"(?:19|20)\\d\\d|41.0")\n'  # a pattern is no text
        "# prose-lint: allow 22 (the days of a test)\n"
        'D = "in 22 days"\n'
        'E = "in 22 days, again"  # prose-lint: allow 22 (the same)\n'
        'F = "but 22 here is typed"\n'
        'G = "dated 2023-12-31, about 2025E and 2024Q1"\n',
        encoding="utf-8",
    )
    problems = prose_lint.typed_numbers_in_code(module, {**VALUES, 31.0: {"d.csv"}, 202.0: {"d.csv"}})
    assert [p.removeprefix(f"{module}:").split(" typed")[0] for p in problems] == ["2: 41.0", "8: 22"]


def test_a_figure_typed_in_a_code_cells_string_is_found_with_page_line(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# P\n\nProse.\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n\n%matplotlib inline\n"
        'x = 40.7\nlabel = f"{x:.1f} years"\nsource = "Line: 41.0 years, ours"\n```\n\n'
        "```{code-cell} ipython3\nif (:\n```\n",
        encoding="utf-8",
    )
    problems = prose_lint.lint([page], values=VALUES)
    found = [p.removeprefix(f"{page}:") for p in problems]
    assert len(found) == 2
    assert found[0].startswith("11: 41.0 typed in a string equals a value in data/ (x.csv)")
    assert found[1].startswith("15: code cell does not parse")


def test_main_lints_pages_and_modules(tmp_path, capsys):
    module = tmp_path / "m.py"
    module.write_text('A = "all 34.16 of it"\n', encoding="utf-8")
    assert prose_lint.main([str(module)]) == 1
    assert "34.16 typed in a string" in capsys.readouterr().out


def test_an_allowance_before_a_figure_covers_its_caption(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# P\n\n% prose-lint: allow 40.7 (a table header)\n```{glue:figure} f\n:name: f\n\n"
        "A caption with 40.7 in it.\n```\n\nAnd 40.7 after it is flagged.\n",
        encoding="utf-8",
    )
    problems = prose_lint.lint([page], values=VALUES)
    assert [p.split(":")[1] for p in problems] == ["10"]


# Small whole numbers: a count passes, a measured quantity (a unit after it, a currency sign before
# it, decimals) is checked like any other number.
SMALL_VALUES = {
    5.0: {"rates.csv"},
    3.0: {"gaps.csv"},
    6.0: {"bp.csv"},
    2.0: {"multiples.csv"},
    7.0: {"t.csv"},
}

MEASURED = [
    "The rate stood at 5 % then.",
    "The rate stood at 5% then.",
    "The rate stood at 5％ then.",
    "A rate of 5 per cent.",
    "The gap is 3 percentage points.",
    "The gap is 3pp.",
    "Spreads widened 6 bp.",
    "Spreads widened 6bp.",
    "Spreads widened 6 basis points.",
    "The rate fell 3 points.",
    "上升3个百分点。",
    "Sales were 2 times the stock.",
    "A 2x multiple.",
    "增长2倍。",
    "Loans run 7 years.",
    "A 7-year term.",
    "Homes cost ¥5 each.",
    "Banks wrote off 3 trillion yuan.",
    "规模3万亿元。",
    "A figure typed as 5.0 is a figure.",
    "Rates of 5–7 % then.",
    "Terms of 7 to 8 years.",
]
COUNTS = [
    "The book reads 2 documents in 5 chapters.",
    "Step 3 of 7 is the last.",
    "See the 4 chapters and 6 appendices.",
    "Of 5 banks, 3 said yes.",
    "The 5-year LPR fell.",
]


def _problems_in_prose(tmp_path, sentence):
    page = tmp_path / "page.md"
    page.write_text(f"# P\n\n{sentence}\n", encoding="utf-8")
    return prose_lint.lint([page], values=SMALL_VALUES)


def test_a_small_number_with_a_unit_in_prose_is_found(tmp_path):
    missed = [s for s in MEASURED if not _problems_in_prose(tmp_path, s)]
    assert missed == []


def test_a_small_count_in_prose_passes(tmp_path):
    flagged = {s: _problems_in_prose(tmp_path, s) for s in COUNTS}
    assert {s: p for s, p in flagged.items() if p} == {}


def test_a_small_number_with_a_unit_in_a_helper_string_is_found(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        'A = "up 5 %"\n'
        'B = f"{x:.1f} bn, up 3 pp"\n'
        'C = f"widened {6} bp"\n'
        'D = "in 2 documents and 4 chapters"\n'
        'E = f"step {n} of 7"\n'
        'F = "the 5-year LPR"\n',
        encoding="utf-8",
    )
    problems = prose_lint.typed_numbers_in_code(module, SMALL_VALUES)
    assert [p.removeprefix(f"{module}:").split(" typed")[0] for p in problems] == ["1: 5", "2: 3", "3: 6"]


def test_the_allowance_still_covers_a_small_measured_number(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# P\n\n% prose-lint: allow 1 (what an elasticity of 1 means)\nA 1 % supply rise cuts prices 1 %.\n\n"
        "But 5 % here is flagged.\n",
        encoding="utf-8",
    )
    problems = prose_lint.lint([page], values={**SMALL_VALUES, 1.0: {"e.csv"}})
    assert [p.split(":")[1] for p in problems] == ["6"]
    module = tmp_path / "m.py"
    module.write_text(
        '# prose-lint: allow 1 (what an elasticity of 1 means)\nA = "1 % in, 1 % out"\n'
        'B = "2 x 1H"  # prose-lint: allow 2 (two half-years)\nC = "5 % typed"\n',
        encoding="utf-8",
    )
    problems = prose_lint.typed_numbers_in_code(module, {**SMALL_VALUES, 1.0: {"e.csv"}})
    assert [p.removeprefix(f"{module}:").split(" typed")[0] for p in problems] == ["4: 5"]


def test_every_unit_of_the_data_has_words_that_make_a_number_measured():
    """Each unit code in data/ (a unit column, or a field's unit in datapackage.json) is recognised
    after a number in at least one of the ways the sources print it; counts of things are named
    by any noun and stay exempt."""
    import csv
    import json

    from helpers.book.units import UNITS

    codes = set()
    for path in (ROOT / "data").glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                codes |= {cell for col, cell in row.items() if col and col.startswith("unit") and cell}
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        codes |= {f["unit"] for f in resource["schema"]["fields"] if isinstance(f.get("unit"), str)}
    assert {"pct", "pp", "bp", "years", "CNY_trn"} <= codes
    unrecognised = {
        code
        for code in codes - {"count", "homes"}
        if not any(
            prose_lint.MEASURED_AFTER.match(f" {word.strip()}") for word in UNITS[code].published.split("/")
        )
    }
    assert unrecognised == set()
