"""The build tools: execute, stage and render the book (:mod:`.pipeline`), preview while writing
(:mod:`.preview`), lint chapter cells (:mod:`.lint`), start a chapter (:mod:`.scaffold`).

No page imports this package, so a change here never makes a page execute again.
``python -m helpers.build`` runs :func:`helpers.build.pipeline.main`.
"""
