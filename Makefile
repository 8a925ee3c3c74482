# The two commands a new user needs: `make demo` and `make test`.
# Both create the virtualenv in .venv if it is missing and install what they need.

PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8000
BIN    := $(VENV)/bin

.PHONY: demo test lint format clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(VENV)/.installed $@

## make demo: load the two example districts into the embedded store, analyze one,
## write the ABC views to demo-views/ and serve the dashboard (Ctrl-C stops it;
## another port: make demo PORT=8080)
demo: $(VENV)/.installed
	$(BIN)/collabgraph validate examples/abc-unified.yaml
	$(BIN)/collabgraph load examples/abc-unified.yaml
	$(BIN)/collabgraph load examples/small-district.yaml
	$(BIN)/collabgraph status
	$(BIN)/collabgraph analyze lakeside-usd
	$(BIN)/collabgraph viz abc-unified --out demo-views
	$(BIN)/collabgraph serve --port $(PORT)

# Debian's Chromium for the browser tests and the report's PDF, with the fonts the
# pages name (Noto, for Latin, Arabic, Vietnamese, Korean, Japanese, Chinese...) and
# poppler-utils (pdftoppm, pdfinfo) to look at the PDF. Installed when missing and we
# may (root with apt-get, as in CI); otherwise those tests skip and say why.
CHROMIUM ?= /usr/bin/chromium
BROWSER_DEBS ?= chromium fonts-noto-core fonts-noto-cjk poppler-utils
browser:
	@missing=""; for deb in $(BROWSER_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$deb 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$deb"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian packages for the browser tests:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null) \
	      || echo "could not install$$missing: some browser tests will be skipped"; \
	  else \
	    echo "missing$$missing and no way to install it here (needs root and apt-get): some browser tests will be skipped"; \
	  fi; \
	fi

## make test: lint, type-check and run the whole test suite
test: $(VENV)/.installed-dev browser
	$(BIN)/ruff check collabgraph api visualizations tests bench examples
	$(BIN)/ruff format --check collabgraph api visualizations tests bench examples
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check collabgraph api visualizations tests bench examples
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format collabgraph api visualizations tests bench examples
	$(BIN)/ruff check --fix collabgraph api visualizations tests bench examples

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
