"""``make publish``: take the built site only after every check has passed on it.

The gate, in order, holding the build lock throughout so no other build can change the site
while it is being checked:

1. bring the site and its PDF edition up to date (:func:`helpers.build.pipeline.book` with
   ``pdf=True``: validation, execution, Sphinx, the print) and fingerprint it (SHA-256 over
   every file of ``_build/html``);
2. run the whole test suite of ``make test`` on it, executed notebooks included: unit, data
   and fault-injection tests, nbval re-execution of every executed page, and the browser tests
   in Chromium; their results are read from a JUnit report;
3. refuse unless every test passed, nbval and the browser tests actually ran (none skipped),
   and the site's fingerprint is unchanged;
4. copy the site and a ``manifest.json`` (commit, fingerprint, the checks run and their
   results, package versions) into ``publish.new-<pid>/`` and swap it in for ``publish/``
   whole (:func:`helpers.build.atomic.swap_folder`).

A site in ``publish/`` has therefore passed execution, nbval and the browser tests; one that
did not is never copied there, and the previous publication stays as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from . import atomic, pipeline
from .lock import build_lock

PUBLISH = pipeline.ROOT / "publish"
PYTEST_ARGS = [
    "tests",
    "_build/executed",
    "--nbval-lax",
    "--nbval-sanitize-with",
    "tests/nbval_sanitize.cfg",
    "-p",
    "no:cacheprovider",
    "-n",
    "2",
    "--dist",
    "loadfile",
]
"""Exactly what ``make test`` runs after ``make book``: two pytest-xdist workers, one per core of
the build machine, each taking whole test files (a module's scratch build or served site is made
once, in one worker; browser tests serve on port 0 and build tests work in their own temporary
folders, so the two workers share no port and no folder)."""

REQUIRED = {
    "nbval (executed notebooks re-run and compared)": lambda case: case["classname"].startswith(
        "_build.executed."
    ),
    "browser (headless Chromium)": lambda case: case["classname"] == "tests.test_site",
}
"""Checks that must have run (at least one test each, none skipped) for a site to be published."""


class NotPublished(RuntimeError):
    """The gate refused the site; the message says which check failed."""


def site_fingerprint(html: Path) -> str:
    """SHA-256 over every file of the site: relative path and bytes, in sorted order."""
    h = hashlib.sha256()
    for path in sorted(p for p in html.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(html)).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def read_junit(path: Path) -> list[dict]:
    """Every test case of a JUnit XML report: class name (the test's module), name, outcome."""
    cases = []
    for case in ET.parse(path).getroot().iter("testcase"):
        outcome = "passed"
        for tag in ("failure", "error", "skipped"):
            if case.find(tag) is not None:
                outcome = "failed" if tag == "failure" else tag
        cases.append(
            {"classname": case.get("classname", ""), "name": case.get("name", ""), "outcome": outcome}
        )
    return cases


def summarise(cases: list[dict]) -> dict:
    """Counts by outcome, overall and for each required check."""

    def counts(selected):
        out = {"tests": len(selected)}
        for outcome in ("passed", "failed", "error", "skipped"):
            out[outcome] = sum(1 for c in selected if c["outcome"] == outcome)
        return out

    summary = {"all": counts(cases)}
    for label, selects in REQUIRED.items():
        summary[label] = counts([c for c in cases if selects(c)])
    return summary


def verdict(summary: dict, returncode: int) -> list[str]:
    """Why the site may not be published (empty when it may)."""
    problems = []
    total = summary["all"]
    if returncode != 0 or total["failed"] or total["error"]:
        problems.append(
            f"{total['failed']} test(s) failed and {total['error']} errored (pytest exit {returncode})"
        )
    for label in REQUIRED:
        got = summary[label]
        if got["tests"] == 0:
            problems.append(f"{label}: did not run")
        elif got["skipped"] or got["passed"] != got["tests"]:
            problems.append(f"{label}: {got['passed']} of {got['tests']} passed ({got['skipped']} skipped)")
    return problems


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=pipeline.ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def publish(dest: Path = PUBLISH, jobs: int = 2, pytest_args: list[str] | None = None) -> Path:
    """Build, check and publish the site (see the module docstring); :class:`NotPublished` on refusal."""
    with build_lock(pipeline.BUILD / ".build.lock", "publish"):
        pipeline.book(jobs=jobs, pdf=True)
        before = site_fingerprint(pipeline.HTML)
        report = pipeline.BUILD / "publish-junit.xml"
        report.unlink(missing_ok=True)
        args = [*(pytest_args or PYTEST_ARGS), f"--junitxml={report}"]
        print(f"checking the site {before[:12]}: pytest {' '.join(args)}", flush=True)
        started = time.time()
        result = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=pipeline.ROOT)
        seconds = round(time.time() - started, 1)
        if not report.exists():
            raise NotPublished(f"the checks wrote no report (pytest exit {result.returncode})")
        summary = summarise(read_junit(report))
        problems = verdict(summary, result.returncode)
        after = site_fingerprint(pipeline.HTML)
        if after != before:
            problems.append("the site changed while it was being checked")
        if problems:
            raise NotPublished("; ".join(problems) + f". {dest.name}/ is unchanged.")
        manifest = {
            "commit": _git("rev-parse", "HEAD") or "unknown",
            "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
            "site_sha256": before,
            "published_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "checks": {
                "command": f"python -m pytest {' '.join(args[:-1])}",
                "seconds": seconds,
                "results": summary,
            },
            "python": sys.version.split()[0],
            "packages": {name: _version(name) for name in pipeline.REPORTED_PACKAGES},
        }
        new = dest.with_name(f"{dest.name}.new-{os.getpid()}")
        shutil.rmtree(new, ignore_errors=True)
        shutil.copytree(pipeline.HTML, new / "site")
        if site_fingerprint(new / "site") != before:
            shutil.rmtree(new, ignore_errors=True)
            raise NotPublished(
                f"the copy of the site differs from the checked site; {dest.name}/ is unchanged."
            )
        atomic.write_text(new / "manifest.json", json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        atomic.swap_folder(new, dest)
    return dest


def _version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m helpers.build.publish", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--dest", default=str(PUBLISH), help="publish folder (default publish/)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    try:
        dest = publish(Path(args.dest), jobs=args.jobs)
    except (NotPublished, pipeline.BuildError) as exc:
        print(f"NOT PUBLISHED: {exc}", file=sys.stderr)
        return 1
    manifest = json.loads((dest / "manifest.json").read_text())
    print(f"published {dest}/site (site {manifest['site_sha256'][:12]}, commit {manifest['commit'][:12]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
