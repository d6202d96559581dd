# Two commands matter (see README): `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
FLASK := $(BIN)/flask --app shop
PORT ?= 5000
# Payment windows send phones back to SHOP_URL, so it follows the port unless set.
SHOP_URL ?= http://127.0.0.1:$(PORT)
PIP := $(BIN)/pip install --quiet --disable-pip-version-check
# Installs take the locks' files only, each checked against its sha256 in the lock.
PIP_LOCKED := $(PIP) --require-hashes
LOCK := $(BIN)/pip-compile --quiet --no-header --strip-extras --allow-unsafe --generate-hashes \
	--no-emit-index-url --no-emit-find-links
# PortOne's Node.js client, for tests/conformance/test_node_client.py (needs node and npm).
NODE_CLIENT := tests/conformance/node
NPM_CI := npm ci --no-audit --no-fund --prefer-offline --loglevel=error

.PHONY: run test lint format browser lock

run: $(VENV)/.run-deps
	$(FLASK) db upgrade
	$(FLASK) seed
	SHOP_URL=$(SHOP_URL) $(FLASK) run --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.test-deps $(NODE_CLIENT)/node_modules/.installed browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	url=$$(bash scripts/install-postgres) && redis=$$(bash scripts/install-redis) && \
		TEST_DATABASE_URL=$$url TEST_REDIS_URL=$$redis $(BIN)/pytest

# The quick loop while working (`make test` runs everything): lint, types, and the tests not
# marked browser or slow, on SQLite and PostgreSQL (an already set TEST_DATABASE_URL is used as
# it is). Without pytest-xdist they run as two pytest processes side by side, a core each: the
# PostgreSQL tests with tests/sandbox, and the other tests; only the first uses the database.
# Each one's output is shown once both have finished; neither keeps a .pytest_cache, which
# each would overwrite with its own last failures.
CHECK_PYTEST := $(BIN)/pytest -q -p no:cacheprovider
CHECK_MARKS := not browser and not slow
.PHONY: check
check: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	url=$$(bash scripts/install-postgres) || exit 1; export TEST_DATABASE_URL=$$url; \
	out=$$(mktemp -d) || exit 1; \
	{ $(CHECK_PYTEST) -m "$(CHECK_MARKS) and postgres"; pg=$$?; \
	  $(CHECK_PYTEST) -m "$(CHECK_MARKS)" tests/sandbox && [ $$pg = 0 ]; \
	} >$$out/1 2>&1 & \
	$(CHECK_PYTEST) -m "$(CHECK_MARKS) and not postgres" \
		--ignore=tests/sandbox >$$out/2 2>&1; second=$$?; \
	wait $$!; first=$$?; cat $$out/1 $$out/2; rm -r $$out; [ $$first = 0 ] && [ $$second = 0 ]

lint: $(VENV)/.test-deps
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

browser:
	bash scripts/install-browser

# Pin every package (direct and indirect) from the *.in files into the *.txt lock files, with
# the sha256 of each of its files. Pins already in a lock stay while the ranges admit them.
# requirements-dev.in is constrained by requirements.txt, so it is compiled second.
# requirements-nodeps.txt is written by hand (one pin, its hashes from `pip hash`).
lock: $(VENV)/.test-deps
	$(LOCK) -o requirements.txt requirements.in
	$(LOCK) -o requirements-dev.txt requirements-dev.in

$(VENV)/.run-deps: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_LOCKED) -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements-dev.txt requirements-nodeps.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_LOCKED) -r requirements-dev.txt
	$(PIP_LOCKED) --no-deps -r requirements-nodeps.txt
	touch $@ $(VENV)/.run-deps

# The stamp lives in node_modules, so a removed node_modules is installed again.
$(NODE_CLIENT)/node_modules/.installed: $(NODE_CLIENT)/package.json $(NODE_CLIENT)/package-lock.json
	bash scripts/install-node
	$(NPM_CI) --prefix $(NODE_CLIENT)
	touch $@

# Figures, not pass/fail: the shop beside a bare Flask endpoint under wrk, on SQLite and (when
# a database can be created) PostgreSQL. BENCH_QUICK=1 for a short run; see benchmarks/README.md.
.PHONY: bench
bench: $(VENV)/.run-deps
	bash scripts/install-wrk
	$(BIN)/python -m benchmarks

# Lighthouse (mobile) on every page a customer sees, in sandbox mode: the four scores per page,
# failing below 100. LIGHTHOUSE_ARGS="--report-only" for figures only, "--runs 1 cart" for one
# quick run of one page. Installs Lighthouse into .lighthouse/ on first use; see scripts/lighthouse.
.PHONY: lighthouse
lighthouse: $(VENV)/.run-deps
	bash scripts/lighthouse $(LIGHTHOUSE_ARGS)
