"""Settings come from the environment; production refuses to start half-configured."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args, **env):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest (same pytest run);
    # a production process never has it, and check --deploy rightly flags it.
    clean = {k: v for k, v in os.environ.items()
             if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "QRMAP_ENV", "DEBUG",
                          "DJANGO_ALLOW_ASYNC_UNSAFE")}
    clean.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=600)


def test_production_without_secrets_says_which_are_missing():
    result = run_manage("check", QRMAP_ENV="production", DATABASE_URL="")
    assert result.returncode != 0
    assert "SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL" in result.stderr


def test_production_check_deploy_reports_nothing():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        QRMAP_ENV="production",
        SECRET_KEY="k" * 20 + "-production-test-key-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="qrmap.example.org",
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgis:///qrmap"),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_needs_no_configuration():
    result = run_manage("check", DATABASE_URL=os.environ.get("DATABASE_URL", "postgis:///qrmap"))
    assert result.returncode == 0, result.stderr
