"""deploy/systemd/: the three units parse and point at what this repository has."""
import re
import shutil
import subprocess

import pytest

from tests.deploy.conftest import DEPLOY
from tests.runtime_processes import ROOT

UNITS = ("qrmap-web.service", "qrmap-worker.service", "qrmap-beat.service")


def test_units_pass_systemd_analyze(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    env_file = tmp_path / "env"
    env_file.write_text("")
    for unit in UNITS:
        text = (DEPLOY / "systemd" / unit).read_text()
        # The example install directory becomes this checkout, so the commands exist.
        text = text.replace("/srv/qrmap/app", str(ROOT)).replace("/etc/qrmap/env",
                                                                 str(env_file))
        (tmp_path / unit).write_text(text)
    checked = subprocess.run([analyze, "verify", *(f"./{unit}" for unit in UNITS)],
                             cwd=tmp_path, capture_output=True, text=True)
    assert checked.returncode == 0 and not (checked.stdout + checked.stderr).strip(), (
        checked.stdout + checked.stderr)


@pytest.mark.parametrize("unit", UNITS)
def test_units_run_the_project_commands_as_its_own_user(unit):
    text = (DEPLOY / "systemd" / unit).read_text()
    command = re.search(r"^ExecStart=(.*(?:\\\n.*)*)", text, re.M)[1].replace("\\\n", " ")
    expected = {"qrmap-web.service": "gunicorn -c deploy/gunicorn.conf.py",
                "qrmap-worker.service": "celery -A qrmap worker -l info",
                "qrmap-beat.service": "celery -A qrmap beat -l info"}[unit]
    assert expected in command
    for line in ("User=qrmap", "EnvironmentFile=/etc/qrmap/env", "Restart=on-failure",
                 "NoNewPrivileges=yes", "ProtectSystem=full", "PrivateTmp=yes"):
        assert re.search(rf"^{re.escape(line)}$", text, re.M), line
