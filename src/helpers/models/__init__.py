"""Pure models: numbers in, numbers out, no I/O; each function has its formula in its docstring
and rejects bad input with a ``ValueError`` naming the argument.

* :mod:`.npl` — NPL and collateral-sale arithmetic (disposals chapter, overview)
* :mod:`.housing` — housing-market indicators (rent capitalisation, clearance, growth)
* :mod:`.growth` — growth rates and CAGRs (policy chapter)
* :mod:`.payments` — mortgage payments and rate cuts (policy chapter)
* :mod:`.loan_switch` — the mortgage-to-business-loan switch and its renewal gap (policy chapter)
* :mod:`.tradein` — the trade-in rent model (policy chapter)
* :mod:`.mortgage_ltv` — cohort balances, LTVs and NPL scenarios (retail chapter)
* :mod:`.stress` — the retail stress test (retail chapter)
"""
