# Wijkstem: `make run` to try the bot, `make test` to check it. Both set up .venv when missing,
# installing exactly the versions (and hashes) in the lock files.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SOURCES := bot conversations insights storage locales
CHECKED := bot conversations insights storage locales benchmarks tests
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
LOCK := --generate-hashes --python-version 3.11 --python-platform linux --quiet

.PHONY: run chat test lint typecheck format locales bench upgrade clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(PIP) --require-hashes --no-deps -r requirements.lock
	$(PIP) --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements-test.lock pyproject.toml | $(BIN)/python
	$(PIP) --require-hashes --no-deps -r requirements-test.lock
	$(PIP) --no-deps -e .
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed  ## start the bot (Telegram with a token, else the console chat)
	$(BIN)/wijkstem run

chat: $(VENV)/.installed  ## the console chat, whatever the settings
	$(BIN)/wijkstem chat

test: $(VENV)/.installed-test lint typecheck  ## lint, type-check, then the whole suite
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy $(CHECKED)

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

locales: $(VENV)/.installed-test  ## extract messages and update every catalogue
	$(BIN)/pybabel extract -F babel.cfg --no-location --no-wrap --add-comments=TRANSLATORS: -k S_ -k D_ --project=Wijkstem \
		--copyright-holder="Wijkstem contributors" -o locales/messages.pot $(SOURCES)
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-wrap \
		--no-fuzzy-matching --ignore-obsolete

bench: $(VENV)/.installed-test  ## print speed and quality figures
	$(BIN)/python -m benchmarks

upgrade: | $(BIN)/python  ## newest versions within pyproject.toml's bounds into the locks, then test
	$(PIP) uv
	$(BIN)/uv pip compile pyproject.toml --extra test --upgrade $(LOCK) -o requirements-test.lock
	$(BIN)/uv pip compile pyproject.toml -c requirements-test.lock $(LOCK) -o requirements.lock
	rm -f $(VENV)/.installed $(VENV)/.installed-test
	$(MAKE) test

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache *.egg-info
