"""The systemd units in deploy/: valid for systemd, restarting on failure, hardened, never root."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
VENV_BIN = Path(sys.executable).parent


def service_section(unit: Path) -> dict[str, list[str]]:
    options: dict[str, list[str]] = {}
    # Repeated keys (SystemCallFilter=) are legal in units; collect every value.
    for line in unit.read_text().split("[Service]", 1)[1].split("\n[", 1)[0].splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            options.setdefault(key.strip(), []).append(value.strip())
    return options


def test_there_is_a_unit_for_the_web_server_and_one_for_the_scheduler():
    assert [u.name for u in UNITS] == ["forum-scheduler.service", "forum-web.service"]
    assert "gunicorn --config /srv/forum/app/deploy/gunicorn.conf.py" in (UNITS[1]).read_text()
    assert "flask --app forum_app scheduler" in (UNITS[0]).read_text()


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_units_restart_on_failure_as_a_plain_user_and_are_hardened(unit):
    options = service_section(unit)
    assert options["Restart"] == ["on-failure"]
    assert options["User"][0] not in ("root", "0")
    for key, value in {"ProtectSystem": "strict", "NoNewPrivileges": "yes", "PrivateTmp": "yes",
                       "ProtectHome": "yes", "PrivateDevices": "yes", "CapabilityBoundingSet": ""}.items():
        assert options.get(key) == [value], (unit.name, key)
    assert "/srv/forum/instance" in options["ReadWritePaths"][0].split()
    assert options["Environment"][0] == "FORUM_INSTANCE_PATH=/srv/forum/instance"


def test_systemd_accepts_the_units_without_a_warning(tmp_path):
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: run scripts/install-test-deps.sh (Debian package systemd)"
    copies = []
    for unit in UNITS:
        # verify checks that ExecStart's program exists: point it at this checkout's virtualenv.
        text = unit.read_text().replace("/srv/forum/app/.venv/bin/", f"{VENV_BIN}/")
        copy = tmp_path / unit.name
        copy.write_text(text)
        copies.append(str(copy))
    result = subprocess.run([analyze, "verify", *copies], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr
