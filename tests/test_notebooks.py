"""The nbval check is real: a published result that drifts makes it fail."""

import json
import os
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
    output = next(o for o in checked[0]["outputs"] if "data" in o)
    text = "".join(output["data"]["text/plain"])
    assert "1.52" in text
    output["data"]["text/plain"] = text.replace("1.52", "1.62")
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
    assert "1.62" in result.stdout or "mismatch" in result.stdout.lower()
