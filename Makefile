# Two commands do all the set-up on a fresh machine:
#   make serve   build the environment, seed the Qibin reference graph if empty, serve the API
#   make test    build the environment and run the whole test suite (it starts its own Neo4j)
#   make neo4j   build (first time) and run a local Neo4j 5 Community in the foreground
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINTER := tools/cypher-lint/node_modules/.installed
# The console's browser libraries (React, GraphiQL, cytoscape.js), served by gridgraph itself.
ASSETS := api/console/vendor/manifest.json
# The browser the console's tests drive (Debian's Chromium) and CJK fonts for its pages.
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
NEO4J_JAR := tools/neo4j/target/gridgraph-neo4j.jar
NEO4J_PORT ?= 7687
NEO4J_HOME ?= data/neo4j

.PHONY: serve test neo4j lint typecheck bench clean assets browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Neo4j's own Cypher front end, which the test suite uses to lint every statement we send.
$(LINTER): tools/cypher-lint/package-lock.json
	npm ci --prefix tools/cypher-lint --no-audit --no-fund --loglevel=error
	touch $(LINTER)

# npm at build time (pinned by the lock file), then copied where the server serves them from.
$(ASSETS): tools/console/package-lock.json tools/console/vendor.mjs
	npm ci --prefix tools/console --no-audit --no-fund --loglevel=error
	node tools/console/vendor.mjs

assets: $(ASSETS)

# Installed from Debian only when missing (CI and developers are root); never a browser download.
browser:
	@if [ ! -x $(CHROMIUM) ] || [ ! -e $(CJK_FONT) ]; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends chromium fonts-noto-cjk; \
	fi

# Neo4j 5.26 Community in-process (tools/neo4j): jars from Maven Central, no Docker, no tarball.
$(NEO4J_JAR): tools/neo4j/pom.xml $(wildcard tools/neo4j/src/main/java/gridgraph/*.java)
	mvn -q -B -f tools/neo4j/pom.xml package

# Foreground; Ctrl-C (or SIGTERM) stops it cleanly. User neo4j, password $$GRIDGRAPH_NEO4J_PASSWORD
# (default gridgraph-local); data in $(NEO4J_HOME). Bigger graphs: JAVA_OPTS=-Xmx8g and
# GRIDGRAPH_NEO4J_PAGECACHE_MB=8192.
neo4j: $(NEO4J_JAR)
	tools/neo4j/run --home $(NEO4J_HOME) --port $(NEO4J_PORT)

serve: $(STAMP) $(ASSETS)
	$(BIN)/gridgraph serve

test: $(STAMP) $(LINTER) $(NEO4J_JAR) $(ASSETS) browser
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache api/console/vendor
