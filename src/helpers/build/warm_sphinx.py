"""Jupyter Book's ``build`` in a process started before the build needs it.

The site step runs ``jupyter-book build`` as a process of its own. Before that process reads a
page it spends seconds importing Sphinx, Jupyter Book, the extensions of ``_config.yml`` and
what their ``setup()`` imports. Nothing in that depends on the pages. So :func:`started`
launches the process when the build begins; it imports all that while the build validates,
executes and stages (on the machine's other core), then waits.
:meth:`WarmSphinx.run` hands it the command line the build would have run, and it runs Jupyter
Book's own command-line entry point with it, exactly as the ``jupyter-book`` script does. When
the site is up to date the process is stopped unused.

What it imports: the configured extensions, Sphinx's HTML builder and Chinese search, and every
module the last build's Sphinx imported (listed in ``modules``, a JSON file the process writes
after each build; a module that fails to import is skipped, and the build imports it, or
reports it, as it always would).

While pages execute, the process has the lowest priority (``nice`` 19): the build lowers it
(:meth:`WarmSphinx.make_way`) when the first page starts, or when the data package is validated
(in two processes) before, so that it takes only a core the build leaves idle and never slows a
page's run; it takes its normal priority back when it is handed the command line, where the
system allows that (root may; others keep 19). When no page runs (a prose-only edit, no change)
it keeps its normal priority throughout: at ``nice`` 19 from the start, any other program on a
busy machine would take its core while the build waits for it.

Besides imports it reads the installed packages' entry points once (:func:`keep_entry_points`).

Two things make the process itself cheaper, and change nothing it writes:

* the garbage collector is off while it imports (imports make objects, not garbage: it would
  only walk them again and again), and what the imports made is then frozen (``gc.freeze``), so
  that the collections the build triggers do not walk the 1,700 modules' objects each time. The
  collector is on during the build, as in any process. Measured in one process per run on a
  prose-only edit of the book (load average 0.3–0.5): imports 1.4–1.8 s with the collector off
  (four runs) instead of 1.7–2.3 s (two runs); Sphinx's build 1.4–1.7 s with the imports
  frozen (two runs) instead of 2.0 s (two runs).
* when the build is done and its modules recorded, the process ends without the interpreter's
  teardown (:func:`helpers.build.quick_exit.leave`): 0.77 s that the build would wait for.

Only imports happen early: the configuration, the pages and every output are read and written
after :meth:`~WarmSphinx.run`, so the site is the same as from a process started then (the
tests compare the two, byte for byte).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import yaml


def keep_entry_points() -> None:
    """Read the installed packages' entry points once, and answer every later
    ``importlib.metadata.entry_points(**selection)`` from them: the same entry points, since
    nothing is installed during a build (Sphinx, its theme loader, Pygments and the bibliography
    extension otherwise read every package's metadata again at each call, about 0.3 s a build)."""
    import importlib.metadata as metadata

    if getattr(metadata.entry_points, "book_kept", False):
        return
    everything = metadata.entry_points()

    def entry_points(**selection):
        return everything.select(**selection) if selection else everything

    entry_points.book_kept = True
    metadata.entry_points = entry_points


def warm(config: Path, modules: Path | None = None) -> None:
    """Import what ``jupyter-book build`` with ``config`` (a ``_config.yml``) will import: the
    modules listed in ``modules`` (by :func:`record_modules`), then the configured extensions;
    the installed packages' entry points are read first (:func:`keep_entry_points`), so the
    modules imported here that look them up bind the kept ones."""
    import importlib

    keep_entry_points()

    for name in _recorded(modules):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - imported (or reported) by the build itself if needed
            pass

    settings = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    sphinx_config = (settings.get("sphinx") or {}).get("config") or {}
    import jupyter_book.cli.main  # noqa: F401 - the command line, Jupyter Book's config, Sphinx
    import sphinx.application  # noqa: F401
    import sphinx.builders.html  # noqa: F401

    for name in [
        *(sphinx_config.get("extensions") or []),
        *(settings.get("sphinx", {}).get("extra_extensions") or []),
    ]:
        importlib.import_module(name)
    if sphinx_config.get("html_search_language") == "zh":
        import jieba  # noqa: F401 - its dictionary is loaded by helpers.build.sphinx_speed
        import sphinx.search.zh  # noqa: F401


def _recorded(modules: Path | None) -> list[str]:
    try:
        names = json.loads(modules.read_text(encoding="utf-8")) if modules is not None else []
    except (OSError, ValueError):
        return []
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def record_modules(modules: Path) -> None:
    """Write the names of the modules this process has imported (by warming and by the build)
    into ``modules``, in import order, for the next build's :func:`warm`."""
    names = [name for name in sys.modules if name != "__main__" and not name.startswith("_")]
    tmp = modules.with_name(f".{modules.name}.{os.getpid()}.tmp")
    try:
        modules.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(names), encoding="utf-8")
        os.replace(tmp, modules)
    except OSError:  # a hint for the next build only
        tmp.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    """Warm up, wait for one line on standard input, then run ``jupyter-book`` with it.

    Arguments: the ``_config.yml`` and, optionally, the modules file (see the module). The line
    is a JSON list: the command line (its first item, the program, is not used). An empty line,
    or the end of input, means the build needs no site: exit at once.
    """
    args = sys.argv[1:] if argv is None else argv
    modules = Path(args[1]) if len(args) > 1 else None
    gc.disable()  # imports make no garbage (see the module docstring)
    try:
        warm(Path(args[0]), modules)
    except Exception:  # noqa: BLE001 - the build imports it again and reports the error itself
        pass
    gc.freeze()
    gc.enable()
    line = sys.stdin.readline()
    if not line.strip():
        return 0
    with contextlib.suppress(OSError):  # back from make_way's nice 19 (permitted to root, as in CI)
        os.setpriority(os.PRIO_PROCESS, 0, 0)
    command = json.loads(line)
    from jupyter_book.cli.main import main as jupyter_book

    sys.argv = ["jupyter-book", *command[1:]]
    code = 0
    try:
        jupyter_book()
    except SystemExit as exc:  # click ends every command with one
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    if code == 0 and modules is not None:
        record_modules(modules)
    return code


def _run() -> NoReturn:
    """``python -m helpers.build.warm_sphinx``: :func:`main`, then end without teardown."""
    from .quick_exit import leave

    leave(main())  # main() turns Jupyter Book's SystemExit into its status already


class WarmSphinx:
    """A ``jupyter-book build`` process waiting for its command line (see the module)."""

    def __init__(self, config: Path, cwd: Path, env: dict, modules: Path | None = None):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "helpers.build.warm_sphinx",
                str(config),
                *([str(modules)] if modules else []),
            ],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.used = False

    def make_way(self) -> None:
        """Lower the process to the lowest priority (``nice`` 19) while pages execute."""
        with contextlib.suppress(OSError):  # it may have ended already: nothing to lower
            os.setpriority(os.PRIO_PROCESS, self.process.pid, 19)

    def run(self, cmd: list[str]) -> subprocess.CompletedProcess:
        """Run ``cmd`` (``[jupyter-book, build, …]``) in the waiting process; like ``subprocess.run``
        with ``capture_output=True, text=True``. Usable once."""
        if self.used:
            raise RuntimeError("a warm Sphinx process runs one build")
        self.used = True
        try:
            out, err = self.process.communicate(json.dumps(cmd) + "\n")
        except BaseException:
            self.process.kill()
            self.process.wait()
            raise
        return subprocess.CompletedProcess(cmd, self.process.returncode, out, err)

    def close(self) -> None:
        """Stop the process if it was not used (or is still running after an error)."""
        if self.process.poll() is None:
            # Killed, not asked: it may still be importing, and it has written nothing (jieba
            # writes its dictionary cache under a temporary name and renames it).
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@contextlib.contextmanager
def started(config: Path, cwd: Path, env: dict, modules: Path | None = None):
    """A :class:`WarmSphinx` for the block, stopped when the block ends (also on errors)."""
    warm_process = WarmSphinx(config, cwd, env, modules)
    try:
        yield warm_process
    finally:
        warm_process.close()


if __name__ == "__main__":
    _run()
