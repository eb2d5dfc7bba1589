# qmdoc entry points. `make build` and `make test` set up everything they need
# on a fresh Debian machine with Python 3.11 (system packages via apt when run
# as root), then build the example manual or run the tests.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-wqy-microhei git
# the tests also open the built site in a real browser
TEST_PACKAGES   := chromium
QMDOC  := $(VENV)/bin/qmdoc

.PHONY: build build-zh site pdf serve check test test-slow bench clean system-deps setup release publish

build: setup
	$(QMDOC) build

build-zh: setup
	$(QMDOC) --root examples/zh build

site: setup
	$(QMDOC) build --site-only

pdf: setup
	$(QMDOC) build --pdf-only

serve: setup
	$(QMDOC) serve

check: setup
	$(QMDOC) check

# make test: every test but those marked slow (a few minutes at most on two cores);
# make test-slow: only the slow ones (example builds, rebuilds, clean install, server, browser).
# CI runs both. `.venv/bin/python -m pytest` without -m runs all of them in one go.
test: setup
	@$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="$(TEST_PACKAGES)"
	$(PY) -m pytest -q -m "not slow"

test-slow: setup
	@$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="$(TEST_PACKAGES)"
	$(PY) -m pytest -q -m slow

bench: setup
	$(PY) bench/bench.py
	$(PY) bench/build_bench.py
	$(PY) bench/serve_bench.py

# make release VERSION=2026.2: a release build (refused, listing every reason, when a document
# is draft, unapproved, past its review date, a clause has no document, or git shows a change
# without a new revision), deployed with mike to the local gh-pages branch as VERSION with the
# alias `latest`. Tags nothing and pushes nothing.
release: setup
	@test -n "$(VERSION)" || { echo "usage: make release VERSION=2026.2"; exit 2; }
	$(QMDOC) release $(VERSION)

# make publish: push the gh-pages branch (the published, versioned site) to origin.
publish:
	git push origin gh-pages

clean:
	rm -rf build site .site-* site.old .pytest_cache examples/zh/build examples/zh/site

setup: system-deps $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,bench]"
	touch $(STAMP)

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing system packages:$$missing"; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "missing system packages:$$missing"; \
	    echo "run: sudo apt-get install -y --no-install-recommends$$missing"; exit 1; \
	  fi; \
	fi
