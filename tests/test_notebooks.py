"""The nbval check is real: a published result that drifts makes it fail."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXECUTED = ROOT / "_build" / "executed" / "chapters"
pytestmark = pytest.mark.notebook


@pytest.mark.skipif(not (EXECUTED / "overview.ipynb").exists(), reason="run `make book` first")
def test_nbval_fails_when_a_checked_output_changes(tmp_path):
    nb = json.loads((EXECUTED / "overview.ipynb").read_text())
    checked = [
        c for c in nb["cells"] if c["cell_type"] == "code" and "NBVAL_CHECK_OUTPUT" in "".join(c["source"])
    ]
    assert checked, "the overview marks its headline table for nbval"
    # Drift the first decimal number of a checked output, whatever the page says today.
    output, number = next(
        (o, m.group(0))
        for c in checked
        for o in c["outputs"]
        if "data" in o
        for m in [re.search(r"\d+\.\d+", "".join(o["data"]["text/plain"]))]
        if m
    )
    text = "".join(output["data"]["text/plain"])
    drifted = f"{float(number) + 0.1:.{len(number.split('.')[1])}f}"
    output["data"]["text/plain"] = text.replace(number, drifted, 1)
    target = tmp_path / "overview.ipynb"
    target.write_text(json.dumps(nb))
    env = dict(os.environ, BOOK_BUILD="1")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(target),
            "--nbval-lax",
            "-p",
            "no:cacheprovider",
            "-q",
            "--nbval-sanitize-with",
            str(ROOT / "tests" / "nbval_sanitize.cfg"),
            "--rootdir",
            str(tmp_path),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0, result.stdout[-2000:]
    # nbval reports the failing cell with the drifted value against the one it computes now
    assert "1 failed" in result.stdout, result.stdout[-2000:]
    assert drifted in result.stdout, result.stdout[-2000:]
