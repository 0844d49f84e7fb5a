# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup model index run test browser converters bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)

model: setup
	$(PY) -m policyqa prepare-model

index: model
	$(PY) ingest.py

run: converters index
	$(PY) app.py

# LibreOffice reads .doc/.wps/.rtf and .xls (converted to .docx/.xlsx); a CJK font for its conversions and for
# drawing OFD pages in the viewer. Each is installed once, only when missing.
converters:
	@pkgs=""; \
	command -v soffice >/dev/null 2>&1 || pkgs="libreoffice-writer-nogui libreoffice-calc-nogui"; \
	[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || fc-list :lang=zh 2>/dev/null | grep -q . || pkgs="$$pkgs fonts-wqy-microhei"; \
	if [ -n "$$pkgs" ]; then \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$pkgs >/dev/null; fi

# Debian's Chromium and a CJK font for the browser tests (Playwright never downloads a browser here).
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi wqy; then \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; fi

test: model browser converters
	$(PY) -m pytest -q

bench: index
	$(PY) bench/embed.py && $(PY) bench/ingest.py && $(PY) bench/query.py && $(PY) bench/intents.py

clean:
	rm -rf $(VENV) models index/current index/*.tmp* tests/artifacts
