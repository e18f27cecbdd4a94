"""helpers.build.quick_exit.leave: a process ends with its status, its output flushed and its
``atexit`` handlers run; with another thread still running it waits for it, as ``sys.exit`` does."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(body: str, tmp_path) -> subprocess.CompletedProcess:
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(body))
    return subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True)


def test_leave_flushes_output_runs_atexit_and_keeps_the_status(tmp_path):
    result = _run(
        """
        import atexit, sys
        from pathlib import Path
        from helpers.build.quick_exit import leave
        atexit.register(lambda: Path(sys.argv[1], "atexit.txt").write_text("ran"))
        sys.stdout.write("no newline, still buffered")
        sys.stderr.write("to stderr")
        leave(3)
        print("never")
        """,
        tmp_path,
    )
    assert result.returncode == 3
    assert result.stdout == "no newline, still buffered" and result.stderr == "to stderr"
    assert (tmp_path / "atexit.txt").read_text() == "ran"


def test_leave_waits_for_a_running_thread_as_sys_exit_does(tmp_path):
    result = _run(
        """
        import sys, threading, time
        from pathlib import Path
        from helpers.build.quick_exit import leave
        def work():
            time.sleep(0.5)
            Path(sys.argv[1], "thread.txt").write_text("done")
        threading.Thread(target=work).start()
        leave(0)
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "thread.txt").read_text() == "done"
