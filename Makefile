# qrmap: `make run` serves the real stack with the Lạng Sơn data, `make test` runs every test.
# Both install what is missing (system packages, .venv, PostgreSQL + PostGIS, Redis) and are
# quick the second time.
PY := .venv/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 3

# `make run` is production-like on one machine: DEBUG off, a secret generated once into
# .local/ (git-ignored), compressed static files with immutable caching, plain HTTP allowed
# on this host only. Any of these can be overridden from the environment.
LOCAL_ENV = QRMAP_ENV=production SECRET_KEY="$${SECRET_KEY:-$$(cat .local/secret_key)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$(HOST),127.0.0.1,localhost}" QRMAP_HTTPS=false \
	DATABASE_URL="$${DATABASE_URL:-postgis:///qrmap}" \
	GUNICORN_BIND=$(HOST):$(PORT) GUNICORN_WORKERS=$(WORKERS)

.PHONY: setup setup-test run dev test bench lint demo

setup:
	@bash .ci/setup run

setup-test:
	@bash .ci/setup test

.local/secret_key:
	@mkdir -p .local
	@umask 077 && python3 -c "import secrets; print(secrets.token_urlsafe(50))" > $@

demo: setup .local/secret_key
	@$(LOCAL_ENV) $(PY) manage.py migrate --noinput -v 0
	@$(LOCAL_ENV) $(PY) manage.py qrmap_load_demo --photos
	@$(LOCAL_ENV) $(PY) manage.py collectstatic --noinput -v 0

# gunicorn, the Celery worker and beat (and Redis, when none runs yet) start and stop
# together under honcho, with one log stream; Ctrl-C stops them all.
run: demo
	@echo ""
	@echo "  qrmap is starting at http://$(HOST):$(PORT)/"
	@echo "  First staff account:  $(PY) manage.py createsuperuser"
	@echo "  Staff pages:          http://$(HOST):$(PORT)/admin/"
	@echo ""
	@$(LOCAL_ENV) exec .venv/bin/honcho start -f deploy/Procfile -d .

# The DEBUG variant: Django's autoreloading server, with the same worker and beat.
dev: setup
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py qrmap_load_demo --photos
	@PORT=$(PORT) HOST=$(HOST) exec .venv/bin/honcho start -f deploy/Procfile.dev -d .

# pytest exits 5 when it collected no test; that is a failure here too (it is not 0).
# Two pytest workers (pytest-xdist), each with its own test database, Redis prefix, Celery
# queue and browser: most tests wait on a browser, a worker or the database, so two share the
# machine's two cores well. TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
test: setup-test
	@$(PY) manage.py collectstatic --noinput -v 0
	@$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal

lint: setup
	@.venv/bin/ruff check .

bench: demo
	@command -v wrk >/dev/null || (apt-get install -y -qq wrk >/dev/null 2>&1 || sudo apt-get install -y -qq wrk)
	@$(LOCAL_ENV) $(PY) -m bench
