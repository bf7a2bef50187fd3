"""The embedded default (SQLite, no services) migrates and loads the demo, idempotently.

Runs ``manage.py`` in subprocesses with a clean environment, as ``make run`` would.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sfa.core.demo import DEMO_PASSWORD, DEMO_USERS

ROOT = Path(__file__).resolve().parents[2]
PORTAL_LOGIN = "customer1"

COUNT_EVERY_MODEL = """
import json
from django.apps import apps
print(json.dumps({m._meta.label: m._base_manager.count() for m in apps.get_models()}))
"""
CHECK_LOGINS = """
import json
from django.contrib.auth import authenticate

print(json.dumps({n: authenticate(username=n, password=PASSWORD) is not None for n in NAMES}))
"""


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr[-4000:]}"
    return result


def shell_json(env: dict, code: str):
    output = manage(env, "shell", "--no-imports", "-c", code).stdout
    return json.loads(output.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    """Migrate, run the demo twice and count every model after each run."""
    home = tmp_path_factory.mktemp("embedded")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "sfa.settings",
        "SFA_VAR_DIR": str(home / "var"),
    }
    migrate = manage(env, "migrate", "--noinput")
    first = manage(env, "demo")
    after_first = shell_json(env, COUNT_EVERY_MODEL)
    second = manage(env, "demo")
    after_second = shell_json(env, COUNT_EVERY_MODEL)
    names = [user[0] for user in DEMO_USERS] + [PORTAL_LOGIN]
    logins = shell_json(env, f"NAMES = {names!r}\nPASSWORD = {DEMO_PASSWORD!r}\n" + CHECK_LOGINS)
    return {
        "migrate": migrate,
        "runs": (first, second),
        "counts": (after_first, after_second),
        "logins": logins,
    }


def test_demo_runs_succeed_and_say_so(embedded):
    for run in embedded["runs"]:
        assert "Demo ready." in run.stdout
        assert "Traceback" not in run.stderr


def test_demo_creates_customers_and_products(embedded):
    counts = embedded["counts"][0]
    assert counts["customers.Account"] > 0
    assert counts["catalog.Product"] > 0


def test_second_demo_run_keeps_customer_and_product_counts(embedded):
    first, second = embedded["counts"]
    for label in ("customers.Account", "customers.Contact", "catalog.Product"):
        assert second[label] == first[label], label


def test_second_demo_run_adds_no_row_anywhere(embedded):
    first, second = embedded["counts"]
    changed = {
        label: (first[label], second[label]) for label in first if first[label] != second[label]
    }
    assert changed == {}


def test_demo_logins_work_with_the_documented_password(embedded):
    assert embedded["logins"] == dict.fromkeys(embedded["logins"], True)
    assert set(embedded["logins"]) == {u[0] for u in DEMO_USERS} | {PORTAL_LOGIN}
