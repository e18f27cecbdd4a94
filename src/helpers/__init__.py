"""Helpers for the book *China's bank bad-loan cycle*.

The only code with logic lives here: loading validated data (:mod:`helpers.data`), units
(:mod:`helpers.units`), the reproduction ledger (:mod:`helpers.ledger`), the chart theme
(:mod:`helpers.charts`), parameter checks (:mod:`helpers.params`), the build pipeline
(:mod:`helpers.build`) and one model module per chapter.
"""

__all__ = ["data", "units", "ledger", "charts", "params"]
