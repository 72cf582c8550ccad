# Two commands do all the set-up on a fresh machine:
#   make serve   build the environment, seed the Qibin reference graph if empty, serve the API
#   make test    build the environment and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINTER := tools/cypher-lint/node_modules/.installed

.PHONY: serve test lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Neo4j's own Cypher front end, which the test suite uses to lint every statement we send.
$(LINTER): tools/cypher-lint/package-lock.json
	npm ci --prefix tools/cypher-lint --no-audit --no-fund --loglevel=error
	touch $(LINTER)

serve: $(STAMP)
	$(BIN)/gridgraph serve

test: $(STAMP) $(LINTER)
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
