"""One module or package per page, named like the page's file under ``chapters/`` or ``back/``:
the page's tables, figures (``figures.py``), the numbers its prose quotes (``numbers()``), and
its reproduction-ledger checks (``ledger.py``). Pages import from here, from :mod:`helpers.book`
and from :mod:`helpers.models`."""
