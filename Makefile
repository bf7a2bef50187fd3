# sfa — make help lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
UV_VERSION := 0.13.9
PYTEST_ARGS ?=
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help install run serve worker beat test test-fast lint format migrations-check bench demo lock check-deploy clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
		{ echo "sfa needs Python 3.11 (found $$($(PYTHON) --version)); set PYTHON=/path/to/python3.11"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(VENV)/bin/uv || $(VENV)/bin/pip install -q uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements.lock
	@touch $@

install: $(VENV)/.installed ## create .venv and install the locked dependencies

lock: ## re-resolve requirements.lock from pyproject.toml
	@test -x $(VENV)/bin/uv || { $(PYTHON) -m venv $(VENV) && $(VENV)/bin/pip install -q uv==$(UV_VERSION); }
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock -q

demo: install ## migrate and load the demo data (idempotent)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py demo

run: demo ## serve the demo on http://$(HOST):$(PORT) (SQLite, inline tasks, console e-mail)
	@echo ""
	@echo "  sfa is running on http://$(HOST):$(PORT)/   (API docs: /api/docs/, portal: /portal/)"
	@echo "  Staff logins (password sfa-demo): admin salesmanager marketing rep1 rep2 billing"
	@echo "                                    supportmanager agent1 agent2"
	@echo "  Portal login: customer1 / sfa-demo"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

serve: install ## production-like: gunicorn + whitenoise, no demo data (set DEBUG=0, SECRET_KEY, …)
	DEBUG=$${DEBUG:-0} HTTPS=$${HTTPS:-0} CONN_MAX_AGE=$${CONN_MAX_AGE:-60} SECRET_KEY=$${SECRET_KEY:-$$(test -f var/secret_key || { mkdir -p var; $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key; }; cat var/secret_key)} \
		sh -c '$(PY) manage.py collectstatic --noinput -v0 && $(PY) manage.py migrate --noinput -v0 && \
		$(VENV)/bin/gunicorn sfa.wsgi:application --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} \
		--max-requests 2000 --max-requests-jitter 200 --access-logfile -'

worker: install ## a Celery worker (and beat) for CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0
	@test -n "$$CELERY_BROKER_URL" || { echo "Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0)"; exit 1; }
	$(VENV)/bin/celery -A sfa worker --beat --loglevel=INFO --concurrency=$${CELERY_CONCURRENCY:-2}

test: install ## the whole suite on a throwaway PostgreSQL (+ Redis, Chromium), then lint
	$(PY) manage.py check -v0
	$(PY) manage.py makemigrations --check --dry-run -v0
	SFA_REQUIRE_SERVICES=$${SFA_REQUIRE_SERVICES:-1} $(VENV)/bin/pytest -n $${PYTEST_WORKERS:-2} -q $(PYTEST_ARGS)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test-fast: install ## the suite without browser and worker tests, on SQLite
	TEST_DB=sqlite $(VENV)/bin/pytest -q -m "not e2e and not celery_worker" $(PYTEST_ARGS)

lint: install ## ruff check + format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install ## fail if models and migrations differ
	$(PY) manage.py makemigrations --check --dry-run

check-deploy: install ## manage.py check --deploy with production-like settings
	DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		ALLOWED_HOSTS=sfa.example.com SECURE_HSTS_PRELOAD=1 $(PY) manage.py check --deploy --fail-level WARNING

# BENCH_SCALE (default 0.02; 1.0 = a million customers), BENCH_DURATION (seconds of wrk per
# endpoint, default 10), BENCH_DATA_DIR (keep the loaded cluster there and reuse it),
# BENCH_INPROCESS=0, BENCH_ALLOW_ERRORS=1, SFA_BENCH_IMPORT_ROWS and BENCH_ARGS (--serve-only,
# --load-only, --only REGEX) pass through from the environment or make's command line.
bench: install ## load benchmark (PostgreSQL + synthetic data, gunicorn, wrk) and the in-process benches → bench/results/
	$(PY) -m tests.bench.load $$BENCH_ARGS

clean: ## remove the venv, the SQLite database and caches
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
