# Everything a fresh machine needs, from nothing: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
TEST_STAMP := $(VENV)/.test-installed
ASSETS_STAMP := pwa/static/build/.built
NODE_STAMP := pwa/node_modules/.installed
CATALOGUES := $(wildcard locales/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)
PYTEST_WORKERS ?= auto

.PHONY: help run test bench audit assets translations extract chromium java lint clean

help:
	@echo "make run    set everything up and serve on http://localhost:8000"
	@echo "make test   set everything up (Chromium included) and run the whole suite"
	@echo "make bench  run the benchmarks (prints ratios measured in one run)"

$(RUNTIME_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(RUNTIME_STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(NODE_STAMP): pwa/package.json pwa/package-lock.json
	cd pwa && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(ASSETS_STAMP): $(NODE_STAMP) pwa/build.mjs $(shell find pwa/styles pwa/scripts pwa/sw pwa/static/icons -type f 2>/dev/null)
	cd pwa && npm run --silent build
	touch $@

assets: $(ASSETS_STAMP)

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(RUNTIME_STAMP)
	$(BIN)/pybabel compile --statistics -D messages -i $< -o $@

translations: $(COMPILED)

# Refresh the template and every catalogue after changing user-facing text.
extract: $(RUNTIME_STAMP)
	$(BIN)/pybabel extract -F locales/babel.cfg -k lazy -o locales/messages.pot --add-comments=Translators: \
		--project=Tolbooth --copyright-holder="Tolbooth contributors" --sort-by-file --add-location=file .
	$(BIN)/pybabel update -D messages -i locales/messages.pot -d locales --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python locales/fill_english.py

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

# The Nu Html Checker (npm vnu-jar) in the accessibility audit runs on Java.
java:
	@command -v java >/dev/null || { apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless; }

run: $(RUNTIME_STAMP) assets translations
	TOLBOOTH_DEMO=true $(BIN)/tolbooth serve --host localhost --port 8000

test: $(TEST_STAMP) assets translations chromium java
	$(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider

# The accessibility audit: every route x state x language (accessibility/routes.toml) in
# Chromium, report in accessibility/report/. The Nu Html Checker (vnu-jar) needs Java 17.
audit: $(TEST_STAMP) assets translations chromium java
	$(BIN)/pytest -p no:cacheprovider -m audit -s tests/test_audit.py

bench: $(TEST_STAMP) assets translations chromium
	$(BIN)/python -m bench

lint: $(TEST_STAMP)
	$(BIN)/ruff check server sync tests bench

clean:
	rm -rf $(VENV) pwa/node_modules pwa/static/vendor pwa/static/build pwa/static/maps
	find locales -name '*.mo' -delete
