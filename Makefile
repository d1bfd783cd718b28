# qrmap: `make run` serves the site with the Lạng Sơn data, `make test` runs every test.
# Both install what is missing (system packages, .venv, PostgreSQL + PostGIS) and are quick
# the second time.
PY := .venv/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 3

.PHONY: setup setup-test run test bench lint demo

setup:
	@bash .ci/setup run

setup-test:
	@bash .ci/setup test

demo: setup
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py qrmap_load_demo
	@$(PY) manage.py collectstatic --noinput -v 0

run: demo
	@echo ""
	@echo "  qrmap is starting at http://$(HOST):$(PORT)/"
	@echo "  First staff account:  $(PY) manage.py createsuperuser"
	@echo "  Staff pages:          http://$(HOST):$(PORT)/admin/"
	@echo ""
	@exec .venv/bin/gunicorn qrmap.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --forwarded-allow-ips=127.0.0.1

# pytest exits 5 when it collected no test; that is a failure here too (it is not 0).
test: setup-test
	@$(PY) manage.py collectstatic --noinput -v 0
	@$(PY) -m pytest

lint: setup
	@.venv/bin/ruff check .

bench: demo
	@$(PY) -m bench
