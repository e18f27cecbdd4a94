"""The build's memo (helpers.book.memo): one page computes the ledger and the tables' validation,
the next reads them; a stored result is never stale and reading it records what computing it
records, so the re-execution rules see the same inputs either way."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from helpers.book import data, ledger, lookup, memo

PROBE = r"""
import json, sys
from helpers.book import data, ledger
evaluated = []
real = ledger.evaluate
ledger.evaluate = lambda row: (evaluated.append(row["id"]), real(row))[1]
table = ledger.collect()
print(json.dumps({
    "evaluated": len(evaluated),
    "modules": sorted(m for m in sys.modules if m.startswith("helpers")),
    "used": data.used(),
    "ledger": table.to_csv(index=False, float_format="%.17g"),
}))
"""


def _probe(env):
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_a_page_reading_the_stored_ledger_records_what_evaluating_it_records(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k != memo.ENVIRONMENT_VARIABLE}
    env[memo.ENVIRONMENT_VARIABLE] = str(tmp_path / "memo")
    first = _probe(env)  # evaluates and stores
    second = _probe(env)  # reads
    assert first["evaluated"] == len(first["ledger"].splitlines()) - 1 > 300
    assert second["evaluated"] == 0, "the second page evaluated the ledger again"
    assert second["ledger"] == first["ledger"]
    assert second["modules"] == first["modules"]
    assert second["used"] == first["used"]
    assert "ledger/findings.csv" in second["used"]["files"]
    assert len(second["used"]["resources"]) > 10


@pytest.fixture
def scratch_data(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(data.data_dir(), copy)
    monkeypatch.setenv("BOOK_DATA_DIR", str(copy))
    monkeypatch.setenv(memo.ENVIRONMENT_VARIABLE, str(tmp_path / "memo"))
    ledger._EVALUATED.clear()
    yield copy
    ledger._EVALUATED.clear()


def test_the_stored_ledger_is_evaluated_again_when_any_data_file_changes(scratch_data, monkeypatch):
    calls = []
    monkeypatch.setattr(ledger, "evaluate", lambda row: (calls.append(1), row["id"])[1])
    first = ledger._evaluate_all()
    assert len(calls) == len(first) > 300
    calls.clear()
    assert ledger._evaluate_all() == first and not calls  # read, not evaluated
    table = scratch_data / "npl_disposals.csv"
    if not table.exists():
        table = sorted(scratch_data.glob("*.csv"))[0]
    table.write_bytes(table.read_bytes() + b"\n")  # one byte more in one table
    ledger._evaluate_all()
    assert len(calls) == len(first), "a changed table did not make the ledger be evaluated again"


def test_a_table_that_passed_is_not_checked_again_but_a_changed_one_is(scratch_data, monkeypatch):
    name = next(  # a table without quoted cells, so that a cell can be changed by splitting lines
        n for n in data.resource_names() if '"' not in (scratch_data / f"{n}.csv").read_text(encoding="utf-8")
    )
    path = scratch_data / data.resource(name)["path"]
    checked = []
    real = data._schema_problems
    monkeypatch.setattr(data, "_schema_problems", lambda *a: (checked.append(1), real(*a))[1])
    data.validate_resource(data.resource(name))
    data.validate_resource(data.resource(name))
    assert len(checked) == 1
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    broken = lines[1].split(",")
    broken[header.index("source")] = "no_such_seed.txt"
    path.write_text("\n".join([lines[0], ",".join(broken), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(data.DataError, match=r"line 2, column 'source'"):
        data.validate_resource(data.resource(name))


def test_nothing_is_stored_outside_a_build(tmp_path, monkeypatch):
    monkeypatch.delenv(memo.ENVIRONMENT_VARIABLE, raising=False)
    assert memo.directory() is None
    memo.write("x", "k", 1)
    memo.mark("valid", "k")
    assert memo.read("x", "k") is None and not memo.has_mark("valid", "k")


def test_a_damaged_entry_is_computed_again(tmp_path, monkeypatch):
    monkeypatch.setenv(memo.ENVIRONMENT_VARIABLE, str(tmp_path))
    memo.write("x", "k", {"a": 1})
    assert memo.read("x", "k") == {"a": 1}
    (tmp_path / "x-k.pickle").write_bytes(b"not a pickle")
    assert memo.read("x", "k") is None
    memo.write("x", "k2", 2)
    assert not (tmp_path / "x-k.pickle").exists()  # one entry per name is kept


def _selections(frame: pd.DataFrame):
    """Selections to try on a table: the text and year columns of a few rows, and one that misses."""
    columns = [
        c
        for c in frame.columns
        if c not in ("value", "note", "quote", "locator", "source") and lookup._comparable(frame[c])
    ][:3]
    for i in sorted({0, len(frame) // 2, len(frame) - 1}):
        yield {c: frame[c].iloc[i] for c in columns if not pd.isna(frame[c].iloc[i])}
    if columns:
        yield {columns[0]: "no such value"}


def test_the_indexed_lookup_finds_what_filtering_the_table_finds():
    compared = 0
    for name in data.resource_names():
        frame = data.load(name)
        for where in _selections(frame):
            where = {k: (v.item() if hasattr(v, "item") else v) for k, v in where.items()}
            try:
                expected = lookup.row(frame, **where)  # a frame: filtered, not indexed
            except LookupError as exc:
                with pytest.raises(LookupError, match=str(exc).split(":")[1][:12]):
                    lookup.row(name, **where)
                continue
            got = lookup.row(name, **where)
            pd.testing.assert_series_equal(got, expected)
            compared += 1
    assert compared > 30
