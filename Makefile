# Build, serve and test the site. The README gives two commands: `make serve`
# and `make test`; everything they need is installed by the targets below, on a
# clean Debian machine as well as on a developer's.
#
#   make serve            live preview on http://127.0.0.1:8000/ (ADDR=host:port)
#   make test             lint, then the whole test suite (PYTEST_ARGS="..." to narrow it, e.g. "-m unit")
#   make lint             ruff check + ruff format --check (pyproject.toml)
#   make build            strict build into site/
#   make check            the editor's content check
#   make kiosk            build the exhibition kiosk edition (kiosk.yml) and start it full screen
#   make kiosk-build      only build it into site-kiosk/
#   make system-deps      Debian's chromium + CJK fonts + Java, for the browser tests and the HTML checker
#   make share-card       redraw the site-wide share picture (docs/assets/images/share/qinglian.png)

SHELL := /bin/sh
PYTHON ?= python3
VENV := .venv
ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?=

# Debian packages the browser tests need. fontconfig brings fc-list, which the
# check below uses (chromium itself only pulls in the library); zbar-tools' zbarimg
# reads the QR codes the pages draw, as a phone camera would; the W3C HTML checker
# (vnu.jar, below) runs on Java, and npm fetches it. Only the missing ones are installed:
# a machine whose Node.js brings its own npm cannot take Debian's npm beside it.
CHROMIUM := /usr/bin/chromium

# The W3C Nu HTML checker, pinned, fetched by npm into the project's own .tools/ (tests/test_seo.py runs it).
VNU_VERSION := 26.9.27
VNU_JAR := .tools/node_modules/vnu-jar/build/dist/vnu.jar

.DEFAULT_GOAL := help
.PHONY: help $(VENV) system-deps check build serve test lint kiosk kiosk-build share-card

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

# The venv is (re)installed when a requirements file is newer than the stamp.
$(VENV): $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-test.txt constraints.txt
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --disable-pip-version-check -q -r requirements-test.txt -c constraints.txt
	@touch $@

system-deps:
	@MISSING=; \
	[ -x $(CHROMIUM) ] || MISSING="$$MISSING chromium"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || MISSING="$$MISSING fonts-noto-cjk fontconfig"; \
	command -v zbarimg >/dev/null || MISSING="$$MISSING zbar-tools"; \
	command -v java >/dev/null || MISSING="$$MISSING default-jre-headless"; \
	command -v npm >/dev/null || MISSING="$$MISSING npm"; \
	[ -n "$$MISSING" ] || exit 0; \
	if [ "$$(id -u)" = 0 ]; then \
	  SUDO=; \
	elif command -v sudo >/dev/null 2>&1; then \
	  SUDO=sudo; \
	else \
	  echo "system-deps: missing Debian packages:$$MISSING" >&2; \
	  echo "system-deps: as root, run: apt-get update && apt-get install -y --no-install-recommends$$MISSING" >&2; \
	  exit 1; \
	fi; \
	echo "system-deps: installing Debian packages:$$MISSING"; \
	$$SUDO apt-get update -q && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$MISSING && \
	[ -x $(CHROMIUM) ] && fc-list | grep -q "Noto Sans CJK" && command -v zbarimg >/dev/null \
	  && command -v java >/dev/null && command -v npm >/dev/null || { \
	  echo "system-deps: installed, but $(CHROMIUM), Noto Sans CJK, zbarimg, java or npm is still missing" >&2; exit 1; }

# --no-save: the version is pinned here, not in a package.json; --ignore-scripts: the package's install script
# downloads a Java runtime, which Debian's default-jre-headless already is.
$(VNU_JAR): | system-deps
	npm install --prefix .tools --no-save --no-audit --no-fund --ignore-scripts vnu-jar@$(VNU_VERSION)
	@test -f $@

check: $(VENV)
	$(VENV)/bin/python hooks/check.py

build: $(VENV)
	$(VENV)/bin/mkdocs build --strict

# The kiosk: a web server on 127.0.0.1 and Chromium in kiosk mode (kiosk/start.py; KIOSK_ARGS="--port 8080").
KIOSK_ARGS ?=

kiosk-build: $(VENV)
	$(VENV)/bin/mkdocs build --strict -f kiosk.yml

# The share card: drawn in HTML (hooks/qinglian/site/share-card.html, the serif of fonts-noto-cjk), saved as PNG.
SHARE_CARD := docs/assets/images/share/qinglian.png

share-card: system-deps
	$(CHROMIUM) --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,630 \
	  --screenshot=$(SHARE_CARD) file://$(CURDIR)/hooks/qinglian/site/share-card.html

kiosk: kiosk-build system-deps
	$(VENV)/bin/python kiosk/start.py site-kiosk $(KIOSK_ARGS)

# --dirty: after an edit only the pages whose content changed are rendered again (hooks/qinglian/build/incremental.py
# decides which, so related stories and lists are never stale). Figures: bench/README.md.
serve: $(VENV)
	$(VENV)/bin/mkdocs serve --dirty -a $(ADDR)

# Tests are grouped (markers in pyproject.toml): PYTEST_ARGS="-m unit" (seconds), "-m build", "-m browser".
test: lint $(VENV) system-deps $(VNU_JAR)
	$(VENV)/bin/python -m pytest -q $(PYTEST_ARGS)

lint: $(VENV)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
