# The book's two commands are `make book` and `make test` (see README.md). Both are idempotent:
# they create .venv from the lock file when needed and redo only what changed.

PYTHON  ?= python3.11
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
JOBS    ?= 2
UV_VERSION := $(shell sed -n 's/^uv==\([^ ]*\).*/\1/p' requirements.lock)
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export BOOK_BUILD := 1

.PHONY: book pdf test test-fast publish site run chromium system-packages lock chapter preview lab benchmark lighthouse clean help

help:
	@echo "make book        build the site into _build/html (executes changed chapters only)"
	@echo "make pdf         make book, and print its PDF edition, _build/html/book.pdf (make test does too)"
	@echo "make test        build, run every test on the built site, and only then publish it to publish/"
	@echo "make run CH=x    execute one chapter (chapters/x.md) into _build/runs/x.ipynb"
	@echo 'make chapter NAME=x TITLE="..."  start chapters/x.md from templates/chapter.md'
	@echo "make preview     rebuild and serve the site on http://127.0.0.1:8000 while you write"
	@echo "make lab         JupyterLab on http://127.0.0.1:$(LAB_PORT): each chapter .md opens as a notebook"
	@echo "make benchmark   time cold, no-change and one-chapter builds; page transfer sizes"
	@echo "make lighthouse  Lighthouse (mobile) on every page of the built site, or PAGES=\"a.html b.html\""
	@echo "make lock        re-pin requirements.lock from pyproject.toml (the one list of direct dependencies)"

# Bytecode is compiled at install (--compile-bytecode): this machine sets PYTHONDONTWRITEBYTECODE,
# and without .pyc files every process (each build, each chapter's kernel) recompiles pandas
# and altair, about 2 s each time.
$(STAMP): requirements.lock pyproject.toml Makefile
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m uv --version >/dev/null 2>&1 || $(PY) -m pip install --quiet "uv==$(UV_VERSION)"
	$(PY) -m uv pip sync --quiet --compile-bytecode --python $(PY) requirements.lock
	$(PY) -m uv pip install --quiet --python $(PY) --no-deps -e .
	@touch $@

book: $(STAMP) system-packages
	$(PY) -m helpers.build book --jobs $(JOBS)

pdf: $(STAMP) system-packages
	$(PY) -m helpers.build book --pdf --jobs $(JOBS)

site: $(STAMP) system-packages
	$(PY) -m helpers.build site

run: $(STAMP)
	@test -n "$(CH)" || (echo "usage: make run CH=<chapter name>"; exit 2)
	$(PY) -m helpers.build run $(CH)

# Debian packages, installed with apt-get (as root) when missing: chromium prints the PDF edition
# and runs the browser tests; fonts-noto-cjk is what the book's Chinese web font is cut from;
# poppler-utils (pdffonts, pdftotext) lets the tests read the PDF.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	test -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc || missing="$$missing fonts-noto-cjk"; \
	command -v pdffonts >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

chromium: system-packages

# `make test` is the publish gate: it builds the site and its PDF edition, runs every test on the
# site as built (pytest tests _build/executed --nbval-lax: helpers, data, build, faults, notebooks,
# browser), holding the build lock, and only a site that passed them all is copied (atomically)
# to publish/ with a manifest.json of the commit, the checks and their results (helpers.build.publish).
test: pdf chromium
	$(PY) -m helpers.build.publish

publish: test

test-fast: $(STAMP)
	$(PY) -m pytest tests -m "not browser and not notebook and not build" -p no:cacheprovider

chapter: $(STAMP)
	@test -n "$(NAME)" || (echo 'usage: make chapter NAME=<name> TITLE="Chapter title"'; exit 2)
	$(PY) -m helpers.build.scaffold "$(NAME)" "$(TITLE)"

preview: book
	$(PY) -m helpers.build.preview

LAB_PORT ?= 8888
lab: $(STAMP)
	$(PY) -m helpers.build.lab --port $(LAB_PORT)

benchmark: $(STAMP) chromium
	$(PY) benchmarks/build_times.py

# Lighthouse 12.8.2 (npm, pinned, installed into _build/lighthouse on first use) with Debian's
# Chromium, mobile profile, on the site served compressed; exits 1 below the page budget. Not part
# of `make test` (its timings depend on the machine's load); tests/test_page_budget.py checks what
# decides them.
lighthouse: book chromium
	$(PY) benchmarks/lighthouse.py $(PAGES)

# pyproject.toml is the one list of direct dependencies; the lock pins them all, every extra included.
# rfc3987-syntax (which JupyterLab's jupyter-events asks of jsonschema) is left out: jsonschema
# imports it whenever it is installed, and it compiles 38 grammars on import, about 2.3 s of CPU
# in every process that loads jsonschema (each page's kernel through frictionless, the build and
# Sphinx through nbformat). Without it jsonschema skips only the "iri" format check.
LOCK_ARGS := pip compile --quiet pyproject.toml --all-extras --python-version 3.11 --generate-hashes \
  --no-emit-package rfc3987-syntax -o requirements.lock
lock:
	@if command -v uv >/dev/null 2>&1; then uv $(LOCK_ARGS); \
	 else $(MAKE) --no-print-directory $(STAMP) && $(PY) -m uv $(LOCK_ARGS); fi

clean:
	rm -rf _build publish
