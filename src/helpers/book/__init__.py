"""The book's machinery that pages import: data loading and validation (:mod:`.data`), units
(:mod:`.units`), citations (:mod:`.sources`), one value lookup (:mod:`.lookup`), argument and
parameter checks (:mod:`.checks`), charts (:mod:`.charts`), the reproduction ledger
(:mod:`.ledger`) and the one way numbers reach the prose (:mod:`.glue`)."""
