# The two front-door commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: setup system demo test lint clean

# Python side: a virtual environment with the package and its dev tools.
setup: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -e '.[dev]'
	touch $@

# System side, from Debian: Chromium for the HTML page test, a CJK font so the
# page's screenshot shows Chinese, and Java for Spark.
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
system:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1 || [ ! -f $(CJK_FONT) ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO apt-get install -y -qq --no-install-recommends chromium default-jre-headless fonts-wqy-zenhei; \
	fi

demo: setup
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
