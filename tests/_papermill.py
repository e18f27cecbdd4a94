"""The scenario harness the chapter tests share: run a page with papermill, read back what it glued.

A page is executed through the build's own :func:`helpers.build.pipeline.execute_page` (the
parameter checks, time limit and warning rules of ``make book``), into the test's own folder.
The runs of one page are independent, so :func:`run_scenarios` starts them side by side, each in
its own process (one kernel each; two at a time on this two-core machine), and returns for each
run either the numbers the page glued for its prose or the :class:`BuildError` it raised.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from helpers.build import pipeline

PARALLEL_RUNS = 2
"""Scenario runs at once (each is one kernel): the machine's two cores."""


def glued(path: Path) -> dict[str, float]:
    """Numbers an executed notebook glued (``myst_nb.glue``), by name; text values are skipped."""
    nb = nbformat.read(path, as_version=4)
    out = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            text = o.get("data", {}).get("application/papermill.record/text/plain")
            if name and text is not None:
                try:
                    out[name] = float(text)
                except ValueError:
                    pass
    return out


def glued_text(path: Path) -> dict[str, str]:
    """Every glued value of an executed notebook as its plain-text form, by name."""
    nb = nbformat.read(path, as_version=4)
    out = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                out[name] = "".join(next(v for k, v in o["data"].items() if k.endswith("text/plain")))
    return out


def _execute(source: str, output: str, parameters: dict, cwd: str | None) -> str | None:
    """One run in a worker process; the error message of a :class:`BuildError`, or None."""
    try:
        pipeline.execute_page(Path(source), Path(output), parameters, cwd=Path(cwd) if cwd else None)
    except pipeline.BuildError as exc:
        return str(exc)
    return None


def run_scenarios(
    source: Path, scenarios: dict[str, dict], folder: Path, cwd: Path | None = None
) -> dict[str, Path | pipeline.BuildError]:
    """Execute ``source`` once per scenario (label -> parameters) into ``folder/<label>.ipynb``.

    Returns, by label, the executed notebook's path, or the :class:`BuildError` the run raised
    (its partial notebook is kept in ``folder/failed/``, never in the project's ``_build``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    jobs = {
        label: (str(source), str(folder / f"{label}.ipynb"), params, str(cwd) if cwd else None)
        for label, params in scenarios.items()
    }
    # a fresh interpreter per worker (no fork of pytest's threads); it inherits sys.path and os.environ
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(PARALLEL_RUNS, len(jobs)), mp_context=context) as pool:
        futures = {label: pool.submit(_execute, *args) for label, args in jobs.items()}
        errors = {label: future.result() for label, future in futures.items()}
    return {
        label: pipeline.BuildError(errors[label]) if errors[label] else Path(jobs[label][1])
        for label in scenarios
    }


def executed(outcome: Path | pipeline.BuildError) -> Path:
    """The executed notebook of a run from :func:`run_scenarios`; the run's own error if it failed."""
    if isinstance(outcome, pipeline.BuildError):
        raise outcome
    return outcome
