"""Two builds of the same commit give the same numbers.

The ledger is recomputed in two fresh processes (different hash seeds) and must be byte for
byte the same, and the same as the copy the build published; every CSV the site offers for
download must equal the file in data/.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.book import ledger
from helpers.build.downloads import spreadsheet_csv

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
PUBLISHED = ROOT / "_build" / "source" / "generated" / "ledger.csv"


def ledger_bytes(tmp_path: Path, seed: str) -> bytes:
    out = tmp_path / f"ledger-{seed}.csv"
    env = dict(os.environ, PYTHONHASHSEED=seed)
    subprocess.run(
        [sys.executable, "-m", "helpers.book.ledger", str(out)], cwd=ROOT, env=env, check=True, timeout=300
    )
    return out.read_bytes()


def test_ledger_is_identical_across_processes(tmp_path):
    # two fresh processes with different hash seeds (set and dict orders differ), and this one
    first, second = ledger_bytes(tmp_path, "1"), ledger_bytes(tmp_path, "2")
    assert first == second
    here = ledger.collect().to_csv(index=False, float_format="%.10g").encode()
    assert here == first
    table = ledger.collect()
    assert first.count(b"\n") == len(table) + 1 and len(table) > 0


@pytest.mark.skipif(not PUBLISHED.exists(), reason="run `make book` first")
def test_published_ledger_equals_a_fresh_recomputation(tmp_path):
    # the site's copy carries a UTF-8 byte-order mark for spreadsheets (helpers.build.downloads)
    assert PUBLISHED.read_bytes() == spreadsheet_csv(ledger_bytes(tmp_path, "3")), (
        "the site's ledger.csv is stale"
    )


@pytest.mark.skipif(not (SITE / "index.html").exists(), reason="run `make book` first")
def test_site_downloads_equal_the_data_package():
    digest = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()  # noqa: E731
    # The site's CSVs are the data package's with a UTF-8 byte-order mark for spreadsheets.
    sources = {
        p.name: hashlib.sha256(spreadsheet_csv(p.read_bytes())).hexdigest()
        for p in (ROOT / "data").glob("*.csv")
    }
    sources["datapackage.json"] = digest(ROOT / "data" / "datapackage.json")
    offered = {p.name: digest(p) for p in (SITE / "_downloads").rglob("*") if p.name in sources}
    assert set(offered) == set(sources), f"not offered for download: {sorted(set(sources) - set(offered))}"
    assert offered == sources
    ledger = list((SITE / "_downloads").rglob("ledger.csv"))
    assert len(ledger) == 1
