"""``python -m helpers.build``: the book's build (see :mod:`helpers.build.pipeline`)."""

import sys

from helpers.build.pipeline import main

sys.exit(main())
