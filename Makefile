# Two commands do all the set-up on a fresh machine:
#   make run    create the virtual environment and run the app on the shipped data
#   make test   create the virtual environment (with test tools and a headless browser) and run every test
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run test test-fast validate bench load-test load-test-ws check-bad-input vendor clean-venv
.PHONY: serve db-migrate db-load db-dump load-serve
PROCESSES ?= 2
SERVE_PORT ?= 8080
REGION ?= kennemerland

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(PY) -m socialmap validate --quiet
	$(PY) -m streamlit run app.py --server.port $(PORT)

test: $(VENV)/.installed-dev
	bash scripts/ensure_browser.sh
	bash scripts/ensure_postgres.sh
	$(PY) -m pytest

# The unit and integration tests only (no browser), for quick feedback while developing.
test-fast: $(VENV)/.installed-dev
	bash scripts/ensure_postgres.sh
	$(PY) -m pytest -m "not e2e"

validate: $(VENV)/.installed
	$(PY) -m socialmap validate

bench: $(VENV)/.installed-dev
	bash scripts/ensure_browser.sh
	$(PY) benchmarks/bench_advice.py
	$(PY) benchmarks/bench_map_page.py
	$(PY) benchmarks/run_all.py
	$(PY) benchmarks/bench_scale.py --regions .benchmarks/regions --pages-at-200k --browser 10000,50000,kennemerland

# 10 concurrent browser sessions doing the GP flow for 2 minutes against one local server.
load-test: $(VENV)/.installed-dev
	bash scripts/ensure_browser.sh
	$(PY) benchmarks/load_test.py

# Replay every kind of bad input of the security review (data files, archives, links, triage input):
# exit code, a message naming file/line/field, no traceback, no hang, bounded memory. Under a minute.
check-bad-input: $(VENV)/.installed-dev
	$(PY) -m pytest tests/test_bad_input.py -q

# Streamlit sessions driven at the websocket level (no browser): the GP flow with 1 (baseline), 20 and 50
# concurrent sessions against one server process, about 60 s each. URL=... to test a running server.
load-test-ws: $(VENV)/.installed-dev
	$(PY) benchmarks/ws_load.py --sessions 1 20 50 --duration 60 $(if $(URL),--url $(URL),)

# Re-create the vendored Leaflet files in static/vendor (from the npm registry; committed).
vendor:
	bash scripts/vendor_leaflet.sh

# PROCESSES Streamlit processes and the HSDS API behind nginx on http://127.0.0.1:$(SERVE_PORT)
# (with SOCIALMAP_DATABASE_URL: on PostgreSQL; see README "Running on PostgreSQL and several processes").
serve: $(VENV)/.installed
	bash deploy/ensure_nginx.sh
	$(PY) -m socialmap validate --quiet
	$(PY) deploy/serve.py --processes $(PROCESSES) --port $(SERVE_PORT)

# The PostgreSQL store ($$SOCIALMAP_DATABASE_URL): schema, load the region folder, dump it to OUT.
db-migrate: $(VENV)/.installed
	$(PY) -m socialmap db migrate

db-load: db-migrate
	$(PY) -m socialmap db load data/regions/$(REGION)

db-dump: $(VENV)/.installed
	$(PY) -m socialmap db dump $(OUT)/$(REGION) --region $(REGION)

# 50 websocket sessions doing the GP flow for 2 minutes against 2 app processes behind nginx; one is killed.
load-serve: $(VENV)/.installed-dev
	bash deploy/ensure_nginx.sh
	$(PY) benchmarks/load_serve.py

clean-venv:
	rm -rf $(VENV)

# The HSDS read API (and POST /triage) of the shipped region on http://127.0.0.1:$(API_PORT)
API_PORT ?= 8000
.PHONY: api
api: $(VENV)/.installed
	$(PY) -m socialmap api --host 127.0.0.1 --port $(API_PORT)
