# The two commands a new user needs: `make demo` and `make test`.
# Both create the virtualenv in .venv if it is missing and install what they need.

PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8000
BIN    := $(VENV)/bin

.PHONY: demo test lint format clean browser vendor vendor-axe

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

# The WebGL renderer of large network maps: sigma.js and graphology, from the npm
# registry by name and pinned version (npm pack checks each tarball's integrity),
# copied into visualizations/vendor/ with their licences. The copies are committed
# so the product and its tests need no network; `make vendor` refreshes them and
# rewrites SHA256SUMS, which a test checks the files against.
SIGMA_VERSION      ?= 3.0.2
GRAPHOLOGY_VERSION ?= 0.25.4
VENDOR             := visualizations/vendor
vendor:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent sigma@$(SIGMA_VERSION) graphology@$(GRAPHOLOGY_VERSION) >/dev/null) && \
	  mkdir -p "$$tmp/s" "$$tmp/g" $(VENDOR) && \
	  tar xzf "$$tmp/sigma-$(SIGMA_VERSION).tgz" -C "$$tmp/s" && \
	  tar xzf "$$tmp/graphology-$(GRAPHOLOGY_VERSION).tgz" -C "$$tmp/g" && \
	  cp "$$tmp/s/package/dist/sigma.min.js" $(VENDOR)/sigma.min.js && \
	  node -e 'const p=require(process.argv[1]);console.log(p.name+" "+p.version+": "+p.license+" licence, as declared in its package.json (no licence file ships in the npm tarball).\nContributors: "+(p.contributors||[]).map(c=>c.name).join(", "))' "$$tmp/s/package/package.json" > $(VENDOR)/LICENSE.sigma && \
	  cp "$$tmp/g/package/dist/graphology.umd.min.js" $(VENDOR)/graphology.umd.min.js && \
	  cp "$$tmp/g/package/LICENSE.txt" $(VENDOR)/LICENSE.graphology && \
	  printf 'sigma %s\ngraphology %s\n' $(SIGMA_VERSION) $(GRAPHOLOGY_VERSION) > $(VENDOR)/VERSIONS && \
	  (cd $(VENDOR) && sha256sum sigma.min.js graphology.umd.min.js > SHA256SUMS) && \
	  echo "vendored sigma $(SIGMA_VERSION) and graphology $(GRAPHOLOGY_VERSION) into $(VENDOR)"

# axe-core for the survey form's accessibility test (tests/survey/test_browser.py), from
# the npm registry, committed under tests/vendor/ with its licence; `make vendor-axe`
# refreshes it and SHA256SUMS, which the test checks before inlining it into the page.
AXE_VERSION ?= 4.10.3
vendor-axe:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null) && \
	  tar xzf "$$tmp/axe-core-$(AXE_VERSION).tgz" -C "$$tmp" && mkdir -p tests/vendor && \
	  cp "$$tmp/package/axe.min.js" tests/vendor/axe.min.js && \
	  cp "$$tmp/package/LICENSE" tests/vendor/LICENSE.axe-core && \
	  printf 'axe-core %s\n' $(AXE_VERSION) > tests/vendor/VERSIONS && \
	  (cd tests/vendor && sha256sum axe.min.js > SHA256SUMS) && \
	  echo "vendored axe-core $(AXE_VERSION) into tests/vendor"

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
