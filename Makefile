# Quick start: `make site` builds the briefing of seeds/ into site/; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test chromium clean

site: $(VENV)/.installed
	$(BIN)/mkdocs build

serve: $(VENV)/.installed
	$(BIN)/mkdocs serve

test: $(VENV)/.installed-test chromium
	$(BIN)/pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $@

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; \
	fi

clean:
	rm -rf site .briefing-cache .pytest_cache
