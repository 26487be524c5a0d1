# The two front-door commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: setup-base setup system demo test lint clean

# Python side. The demo needs the package alone, and its .venv stays light:
# - pip writes no bytecode, neither for what it installs nor for itself (Python
#   still writes it for the modules a command imports, so commands start fast);
#   that covers the pip and setuptools `venv` puts in, compiled, which are
#   upgraded first (spaCy requires a setuptools, so it stays);
# - of pyvis only the data files are used (vis-network for the HTML page), so
#   it comes without its dependencies (IPython and the rest).
# The tests add the dev tools (pytest, ruff, pyshacl, the Oxigraph server,
# Playwright, Spark).
PYVIS := pyvis==0.3.2
PIP   := PYTHONDONTWRITEBYTECODE=1 $(BIN)/pip
setup-base: $(VENV)/.base
$(VENV)/.base: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --no-compile --upgrade pip setuptools
	$(PIP) install --no-compile -e .
	$(PIP) install --no-compile --no-deps '$(PYVIS)'
	touch $@

setup: $(VENV)/.installed
$(VENV)/.installed: $(VENV)/.base
	$(BIN)/pip install -e '.[dev]'
	touch $@

# System side, from Debian: Chromium for the HTML page test, a CJK font so the
# page's screenshot shows Chinese, and Java for Spark.
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
system:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1 || [ ! -f $(CJK_FONT) ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  APT="$$SUDO apt-get -o DPkg::Lock::Timeout=600"; \
	  echo "installing chromium, java and a CJK font (waits up to 10 min for another apt to finish)"; \
	  $$APT update -qq && \
	  $$APT install -y -qq --no-install-recommends chromium default-jre-headless fonts-wqy-zenhei || \
	  { echo "apt-get failed: is another package manager holding the dpkg lock? Try again when it is done." >&2; exit 1; }; \
	fi

demo: setup-base
	$(BIN)/kg build data/seeds --out $(OUT)
	$(BIN)/kg query who-organized --store $(OUT)/store
	$(BIN)/kg query who-hosted --store $(OUT)/store
	$(BIN)/kg query who-commented --store $(OUT)/store
	$(BIN)/kg viz --store $(OUT)/store -o $(OUT)/graph.html

test: setup system
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check kg tests benchmarks

clean:
	rm -rf $(OUT) .pytest_cache
