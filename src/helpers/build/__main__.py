"""``python -m helpers.build``: the book's build (see :mod:`helpers.build.pipeline`); the process
ends without the interpreter's teardown once the build is done (:mod:`helpers.build.quick_exit`)."""

from helpers.build.pipeline import main
from helpers.build.quick_exit import leave

leave(main())
