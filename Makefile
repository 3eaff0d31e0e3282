# Wijkstem: `make run` to try the bot, `make test` to check it. Both set up .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SOURCES := bot conversations insights storage locales

.PHONY: run chat test lint format locales bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed  ## start the bot (Telegram with a token, else the console chat)
	$(BIN)/wijkstem run

chat: $(VENV)/.installed  ## the console chat, whatever the settings
	$(BIN)/wijkstem chat

test: $(VENV)/.installed-test lint  ## lint, then the whole suite
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

locales: $(VENV)/.installed-test  ## extract messages and update every catalogue
	$(BIN)/pybabel extract -F babel.cfg --no-location --no-wrap --project=Wijkstem \
		--copyright-holder="Wijkstem contributors" -o locales/messages.pot $(SOURCES)
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-wrap \
		--no-fuzzy-matching --ignore-obsolete

bench: $(VENV)/.installed-test  ## print speed and quality figures
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
