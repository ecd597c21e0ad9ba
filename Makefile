# Two entry points for a fresh machine with Python 3.11 and git:
#   make demo   install everything, import the corpus pair, align it, serve the UI on 127.0.0.1
#               (on port 5000; another with `make demo PORT=5001`)
#   make test   install everything, lint, run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000

.PHONY: install demo test lint clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: install
	$(BIN)/alinea demo --port $(PORT)

lint: install
	$(BIN)/ruff check app tests migrations
	$(BIN)/ruff format --check app tests migrations

test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) instance .pytest_cache
