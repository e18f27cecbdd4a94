"""The data layer: good tables load typed; each kind of bad input fails naming file, line, column."""

import json

import pandas as pd
import pytest
from conftest import GOOD_CSV, GOOD_RESOURCE

from helpers.book import data


def test_good_table_loads_with_schema_types(toy_package):
    frame = data.load("toy_disposals")
    assert list(frame.columns) == ["year", "value", "unit", "source", "locator", "quote"]
    assert frame["value"].dtype == float
    assert frame["year"].tolist() == [2023, 2024]
    assert frame.loc[0, "quote"] is None


def test_text_in_numeric_column(toy_package):
    path = toy_package(GOOD_CSV.replace("2024,3.8", "2024,3.8trn"))
    with pytest.raises(data.DataError) as err:
        data.load("toy_disposals")
    msg = str(err.value)
    assert str(path) in msg and "line 3" in msg and "column 'value'" in msg and "type-error" in msg


def test_missing_column(toy_package):
    broken = "\n".join(
        ",".join(c for i, c in enumerate(line.split(",")) if i != 2) for line in GOOD_CSV.splitlines()
    )
    toy_package(broken + "\n")
    with pytest.raises(data.DataError, match=r"toy_disposals.csv.*'unit'"):
        data.load("toy_disposals")


def test_value_out_of_range(toy_package):
    toy_package(GOOD_CSV.replace("2024,3.8", "2024,380"))
    with pytest.raises(data.DataError, match=r"toy_disposals.csv, line 3, column 'value': constraint-error"):
        data.load("toy_disposals")


def test_unknown_unit_in_column(toy_package):
    toy_package(GOOD_CSV.replace("3.8,CNY_trn", "3.8,trillion"))
    with pytest.raises(data.DataError, match=r"line 3, column 'unit': unknown unit 'trillion'"):
        data.load("toy_disposals")


def test_unknown_unit_in_schema(toy_package):
    res = json.loads(json.dumps(GOOD_RESOURCE))
    res["schema"]["fields"][1]["unit"] = "furlongs"
    toy_package(resource=res)
    with pytest.raises(data.DataError, match=r"column 'value': schema declares unknown unit 'furlongs'"):
        data.load("toy_disposals")


def test_source_must_be_a_seed_file(toy_package):
    toy_package(GOOD_CSV.replace("2024,3.8,CNY_trn,000_53446e2d23b336c6.txt", "2024,3.8,CNY_trn,blog.txt"))
    with pytest.raises(data.DataError, match=r"line 3, column 'source': 'blog.txt' is not a file in seeds/"):
        data.load("toy_disposals")


def test_missing_required_value_and_duplicate_key(toy_package):
    toy_package(GOOD_CSV.replace("2024,3.8", "2023,"))
    with pytest.raises(data.DataError) as err:
        data.load("toy_disposals")
    # both problems of the one line are named, each with its line (and column where it has one)
    message = str(err.value)
    assert "toy_disposals.csv, line 3, column 'value': constraint-error: value ''" in message
    assert "toy_disposals.csv, line 3: primary-key:" in message


def test_unknown_table_lists_known_ones(toy_package):
    with pytest.raises(data.DataError, match="no table named 'nope'.*toy_disposals"):
        data.load("nope")


def test_malformed_descriptor(toy_package, tmp_path):
    (tmp_path / "data" / "datapackage.json").write_text("{ not json")
    with pytest.raises(data.DataError, match="datapackage.json: line 1"):
        data.load("toy_disposals")


def test_load_returns_independent_copies(toy_package):
    a = data.load("toy_disposals")
    a.loc[0, "value"] = -1
    assert data.load("toy_disposals").loc[0, "value"] == pytest.approx(2.9)


def test_validate_package_reports_undescribed_csv(toy_package, tmp_path):
    (tmp_path / "data" / "stray.csv").write_text("a\n1\n")
    problems = data.validate_package()
    assert any("stray.csv: CSV not described" in p for p in problems)


def test_citation_names_seed_and_locators(toy_package):
    assert data.citation("toy_disposals") == "Sources: 000_53446e2d23b336c6.txt (para 2)"


def test_real_package_is_valid():
    """The project's own data/ passes every check (the build runs this too)."""
    assert data.validate_package(data.PROJECT_ROOT / "data") == []


def test_two_processes_find_what_one_finds_in_the_same_order(tmp_path):
    """The build validates in two processes: a copy of the real package with two broken tables
    gives the same problems, in the package's order, as one process."""
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(data.PROJECT_ROOT / "data", copy)
    tables = sorted(copy.glob("*.csv"))
    for path in (tables[1], tables[-2]):
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[0] += ",bogus"  # a column the schema does not have
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = data.validate_package(copy)
    two = data.validate_package(copy, processes=2)
    assert len(one) == 2 and two == one
    assert tables[1].name in one[0] and tables[-2].name in one[1]


def test_every_resource_cites_its_seeds():
    pkg = data.package_descriptor(data.PROJECT_ROOT / "data")
    for res in pkg["resources"]:
        assert res.get("title"), res["name"]
        assert res.get("sources"), f"{res['name']}: no sources"
        for src in res["sources"]:
            assert (data.PROJECT_ROOT / src["path"]).is_file(), f"{res['name']}: {src['path']}"
        frame = pd.read_csv(data.PROJECT_ROOT / "data" / res["path"])
        assert set(frame["source"]) <= {s["title"] for s in res["sources"]}, res["name"]


# ------------------------------------------------------------------ clear errors (issue 14)


def test_missing_column_is_one_error_on_the_header_line(toy_package):
    """A dropped column is named once, on line 1, not as follow-on errors blaming later columns."""
    broken = "\n".join(
        ",".join(c for i, c in enumerate(line.split(",")) if i != 2) for line in GOOD_CSV.splitlines()
    )
    path = toy_package(broken + "\n")
    with pytest.raises(data.DataError) as err:
        data.load("toy_disposals")
    problems = str(err.value).splitlines()[1:]
    assert len(problems) == 1, problems
    assert f"{path}, line 1: column 'unit' is missing" in problems[0]
    assert "source" not in problems[0].split("missing")[0]


def test_unexpected_column_is_named_with_its_position(toy_package):
    lines = GOOD_CSV.splitlines()
    extra = "\n".join([lines[0] + ",extra"] + [ln + ",x" for ln in lines[1:]]) + "\n"
    path = toy_package(extra)
    with pytest.raises(data.DataError, match=rf"{path}, line 1, column 7: unexpected column 'extra'"):
        data.load("toy_disposals")


def test_error_after_a_multi_line_quoted_field_names_the_editor_line(toy_package):
    """A quoted field spanning two lines moves every later row one line down: the message follows."""
    csv_text = (
        "year,value,unit,source,locator,quote\n"
        '2022,2.1,CNY_trn,000_53446e2d23b336c6.txt,para 2,"first line\nsecond line"\n'
        "2023,2.9,CNY_trn,000_53446e2d23b336c6.txt,para 2,\n"
        "2024,3.8trn,CNY_trn,000_53446e2d23b336c6.txt,para 2,\n"
    )
    path = toy_package(csv_text)
    with pytest.raises(data.DataError) as err:
        data.load("toy_disposals")
    assert f"{path}, line 5, column 'value': type-error" in str(err.value)


def test_semantic_error_after_a_multi_line_field_names_the_editor_line(toy_package):
    csv_text = (
        "year,value,unit,source,locator,quote\n"
        '2022,2.1,CNY_trn,000_53446e2d23b336c6.txt,para 2,"first line\nsecond line"\n'
        "2023,2.9,furlongs,000_53446e2d23b336c6.txt,para 2,\n"
    )
    toy_package(csv_text)
    with pytest.raises(data.DataError, match=r"line 4, column 'unit': unknown unit 'furlongs'"):
        data.load("toy_disposals")


def _write_descriptor(tmp_path, resource):
    (tmp_path / "data" / "datapackage.json").write_text(
        json.dumps({"name": "toy", "resources": [resource]}, indent=2)
    )


def test_invalid_field_type_is_one_line_naming_line_and_column(toy_package, tmp_path):
    res = json.loads(json.dumps(GOOD_RESOURCE))
    res["schema"]["fields"][1]["type"] = "numbr"
    _write_descriptor(tmp_path, res)
    problems = data.validate_package()
    assert len(problems) == 1, problems
    text = (tmp_path / "data" / "datapackage.json").read_text().splitlines()
    line = next(i for i, ln in enumerate(text, 1) if '"name": "value"' in ln)
    column = text[line - 1].index('"name"') + 1
    assert problems[0].startswith(f"{tmp_path / 'data' / 'datapackage.json'}, line {line}, column {column}:")
    assert "field 'value': type 'numbr' is not one of" in problems[0]
    assert "Traceback" not in problems[0]


def test_resource_without_path_or_with_bad_primary_key(toy_package, tmp_path):
    res = json.loads(json.dumps(GOOD_RESOURCE))
    del res["path"]
    _write_descriptor(tmp_path, res)
    problems = data.validate_package()
    assert len(problems) == 1 and "resource 'toy_disposals' has no 'path'" in problems[0], problems
    assert ", line 5, column 7:" in problems[0]  # the resource's "name", as an editor counts

    res = json.loads(json.dumps(GOOD_RESOURCE))
    res["schema"]["primaryKey"] = ["nope"]
    _write_descriptor(tmp_path, res)
    problems = data.validate_package()
    assert len(problems) == 1 and "primary key" in problems[0], problems


# ------------------------------------------------------------------ units against kinds, signs

KIND_CSV = (
    "indicator,value,unit,source,locator\n"
    "npl_balance,3.5,CNY_trn,000_53446e2d23b336c6.txt,para 2\n"
    "npl_ratio,1.5,pct,000_53446e2d23b336c6.txt,para 2\n"
    "npl_balance_change,-0.2,CNY_trn,000_53446e2d23b336c6.txt,para 2\n"
)
KIND_RESOURCE = {
    "name": "toy_disposals",
    "path": "toy_disposals.csv",
    "title": "Toy indicators",
    "schema": {
        "fields": [
            {"name": "indicator", "type": "string"},
            {"name": "value", "type": "number"},
            {
                "name": "unit",
                "type": "string",
                "kindKey": ["indicator"],
                "kinds": {
                    "npl_balance": "money_cny",
                    "npl_ratio": "share",
                    "npl_balance_change": "money_cny change",
                },
            },
            {"name": "source", "type": "string"},
            {"name": "locator", "type": "string"},
        ]
    },
}


def test_kinds_accept_matching_units_and_signed_changes(toy_package):
    toy_package(KIND_CSV, KIND_RESOURCE)
    assert len(data.load("toy_disposals")) == 3


def test_real_unit_of_the_wrong_kind_is_an_error(toy_package):
    toy_package(KIND_CSV.replace("npl_balance,3.5,CNY_trn", "npl_balance,3.5,pct"), KIND_RESOURCE)
    with pytest.raises(
        data.DataError,
        match=r"line 2, column 'unit': 'pct' measures share, but 'npl_balance' is declared money_cny",
    ):
        data.load("toy_disposals")


def test_negative_level_is_an_error(toy_package):
    toy_package(KIND_CSV.replace("npl_balance,3.5", "npl_balance,-3.5"), KIND_RESOURCE)
    with pytest.raises(
        data.DataError, match=r"line 2, column 'value': -3.5 is negative, but 'npl_balance' is a level"
    ):
        data.load("toy_disposals")


def test_undeclared_indicator_is_an_error(toy_package):
    toy_package(KIND_CSV + "npl_new,1,pct,000_53446e2d23b336c6.txt,para 3\n", KIND_RESOURCE)
    with pytest.raises(data.DataError, match=r"line 5, column 'indicator': 'npl_new' has no declared kind"):
        data.load("toy_disposals")


def test_every_indicator_table_declares_kinds():
    """Each real table with an indicator and a unit column declares every indicator's kind."""
    pkg = data.package_descriptor(data.PROJECT_ROOT / "data")
    for res in pkg["resources"]:
        fields = {f["name"]: f for f in res["schema"]["fields"]}
        if "indicator" in fields and "unit" in fields:
            assert fields["unit"].get("kinds"), f"{res['name']}: no kinds on its unit field"


def test_text_full_of_pipes_does_not_change_the_delimiter(toy_package):
    """Frictionless sniffs the dialect by default: notes with `|` and `"` made `|` the delimiter."""
    import csv
    import io

    res = data.resource("retail_mortgage_ltv", data.PROJECT_ROOT / "data")
    rows = list(
        csv.reader(io.StringIO((data.PROJECT_ROOT / "data" / res["path"]).read_text(encoding="utf-8")))
    )
    note = rows[0].index("note")
    text = ' <img src="x"> {ref}`x` *y* | [z](javascript:1) </script>'
    for row in rows[1:]:
        row[note] += text
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    toy_package(buf.getvalue(), dict(res, name="toy_disposals", path="toy_disposals.csv"))
    assert all(n.endswith(text) for n in data.load("toy_disposals")["note"])
