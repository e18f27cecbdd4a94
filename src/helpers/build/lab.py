"""``make lab``: JupyterLab on loopback, in which every chapter ``.md`` opens as a notebook.

JupyterLab and jupytext are pinned in ``requirements.lock``; jupytext's server extension reads
and writes the MyST ``.md`` pages, and its JupyterLab extension opens them as notebooks. This
module only starts the server with the book's settings, kept out of the author's home folder:

* Markdown and MyST files open with the *Jupytext Notebook* viewer (double-click a chapter);
* the kernel is this ``.venv``'s Python, so pages import ``helpers`` and read ``data/``;
* ``BOOK_BUILD`` is unset and ``BOOK_LAB=1`` set, so charts carry the Vega-Lite type alone and
  JupyterLab draws them (:func:`helpers.book.charts.book_renderer`);
* a kernel startup file that also shows each chart a page glues for the book (the
  ``{glue:figure}`` directive that places it in the book is not rendered by JupyterLab);
* a ``python3`` kernel spec named as the pages name theirs, so saving leaves the front matter be;
* the server listens on 127.0.0.1 only, with a token.

``python -m helpers.build.lab [--port N] [--root DIR] [-- extra jupyter-lab options]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from helpers.build.pipeline import BUILD, ROOT

VIEWERS = {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}


SETTINGS = {
    # a chapter opens as a notebook
    "@jupyterlab/docmanager-extension/plugin": {"defaultViewers": VIEWERS},
    # every cell in the page, not only those scrolled into view (charts draw as they run)
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # no news feed from the network
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


def settings(folder: Path) -> Path:
    """Write the book's JupyterLab user settings under ``folder``; return the settings folder."""
    settings_dir = folder / "settings"
    for plugin, values in SETTINGS.items():
        path = settings_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2), encoding="utf-8")
    return settings_dir


def kernel(folder: Path) -> Path:
    """A ``python3`` kernel spec for this ``.venv``'s Python, named as the chapters name it
    (``Python 3``): JupyterLab writes the running kernel's name into a page's front matter on
    save, and ipykernel's own spec ("Python 3 (ipykernel)") would change every page it saves."""
    data = folder / "share"
    spec = data / "kernels" / "python3" / "kernel.json"
    spec.parent.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.write_text(json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"}, indent=1))
    return data


STARTUP = """\
# Written by helpers.build.lab. A chapter glues its figures for the book without showing them
# (glue(name, chart, display=False)) and places them with a {glue:figure} directive, which
# JupyterLab does not render: in the lab, a glued chart is also shown where it is glued.
import myst_nb as _myst_nb

_book_glue = _myst_nb.glue


def _glue_and_show(name, variable, display=True):
    _book_glue(name, variable, display=display)
    if not display and type(variable).__module__.split(".")[0] == "altair":
        from IPython.display import display as _show

        _show(variable)


_myst_nb.glue = _glue_and_show
"""


def startup(folder: Path) -> Path:
    """An IPython folder whose startup file shows glued charts in the lab; return the folder."""
    ipython = folder / "ipython"
    path = ipython / "profile_default" / "startup" / "00-book-lab.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STARTUP, encoding="utf-8")
    return ipython


def environment(state: Path) -> dict:
    """The server's environment: its settings, workspaces and runtime files under ``state``."""
    env = dict(os.environ)
    env.pop("BOOK_BUILD", None)
    env["BOOK_LAB"] = "1"
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["JUPYTERLAB_SETTINGS_DIR"] = str(settings(state))
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(state / "workspaces")
    env["JUPYTER_RUNTIME_DIR"] = str(state / "runtime")
    env["JUPYTER_PATH"] = str(kernel(state))
    env["JUPYTER_CONFIG_DIR"] = str(state / "config")
    env["IPYTHONDIR"] = str(startup(state))
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def command(root: Path, port: int, token: str | None = None, extra: list[str] | None = None) -> list[str]:
    """The ``jupyter lab`` command line: loopback only, no browser opened."""
    cmd = [
        str(Path(sys.executable).parent / "jupyter-lab"),
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.open_browser=False",
        # nothing leaves the machine: no extension catalogue, no news feed, no update check
        "--LabApp.extension_manager=readonly",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--ServerApp.allow_root=True")
    if token is not None:
        cmd.append(f"--IdentityProvider.token={token}")
    return cmd + list(extra or [])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.build.lab", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8888)
    parser.add_argument("--root", default=str(ROOT), help="folder the lab shows (default: the project)")
    parser.add_argument("extra", nargs="*", help="more jupyter-lab options, after --")
    args = parser.parse_args(argv)
    state = BUILD / "lab"
    cmd = command(Path(args.root).resolve(), args.port, extra=args.extra)
    print("JupyterLab on loopback; open a chapter under chapters/ (it opens as a notebook).", flush=True)
    os.execve(cmd[0], cmd, environment(state))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
