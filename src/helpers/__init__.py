"""Helpers for the book *China's bank bad-loan cycle*: the only code with logic, in four rooms.

* :mod:`helpers.book` — the machinery pages import: data, units, sources, lookup, checks,
  charts, ledger, glue;
* :mod:`helpers.models` — pure models, the formula in each docstring;
* :mod:`helpers.chapters` — one module or package per page: its tables, figures, numbers and
  ledger checks;
* :mod:`helpers.build` — the build tools (execute, stage, render, preview, lint, scaffold), which
  no page imports.
"""
