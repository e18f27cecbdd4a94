"""End a build process as soon as its work is written, without the interpreter's teardown.

A process that has imported Sphinx, Jupyter Book and their extensions (about 1,700 modules)
spends most of a second at exit freeing them, module by module, after its last file is
written: 0.77 s in Sphinx's process on a prose-only edit, measured with a timestamp from its
last ``atexit`` handler and one when the build saw it end. The build waits for that.

:func:`leave` does what a normal exit does that anyone can observe, then ends the process:

1. it waits for the process's other (non-daemon) threads, as ``sys.exit`` would; if any is
   still running it is a plain ``sys.exit``, and nothing is skipped;
2. it runs the ``atexit`` handlers (logging's flush, temporary folders' removal, …);
3. it flushes standard output and error;
4. it ends the process with ``os._exit``.

What is skipped is freeing objects that still exist at exit, which Python does not promise to
finalise ("It is not guaranteed that ``__del__()`` methods are called for objects that still
exist when the interpreter exits", the data model's reference). Files are written through
``with`` blocks here and in Sphinx, so nothing waits on such a finaliser; the tests build the
same book in a process that leaves this way and in one that exits normally, and compare every
file, Sphinx's environment and doctrees included (``tests/test_warm_sphinx.py``).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from typing import NoReturn


def leave(code: int) -> NoReturn:
    """End the process with exit status ``code`` (see the module for what runs first)."""
    if threading.active_count() > 1 and any(
        t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()
    ):
        sys.exit(code)
    atexit._run_exitfuncs()  # noqa: SLF001 - the handlers a normal exit runs, in the same order
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)
