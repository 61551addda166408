"""The README's demo command ends with ``flask serve``: the web server and the background jobs in one
process. An organiser of the demo event starts a scheduler run on the page and it finishes with no
second process (the run is a background job, never done inside the web request)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from tests.conftest import free_port
from tests.test_import_under_gunicorn import CSRF

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
EVENT_ID = re.compile(r"\(id (\d+)\)")


@pytest.fixture
def demo(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "FLASK_APP": "wsgi",
           "SECRET_KEY": "demo-server-test-secret-of-enough-length", "PYTHONPATH": str(ROOT)}
    env.pop("TEST_DATABASE_URL", None)
    subprocess.run([str(BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    seeded = subprocess.run([str(BIN / "flask"), "seed-demo", "--participants", "24"], cwd=ROOT, env=env,
                            check=True, capture_output=True, text=True).stdout
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([str(BIN / "flask"), "serve", "--port", str(port)], cwd=ROOT, env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(base + "/login", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            pytest.fail("flask serve did not start:\n" + log.read_text())
        yield base, int(EVENT_ID.search(seeded).group(1)), log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_scheduler_run_started_on_the_page_finishes_under_flask_serve(demo):
    base, event, log = demo
    web = requests.Session()
    token = CSRF.search(web.get(base + "/login").text).group(1)
    assert web.post(base + "/login", data={"csrf_token": token, "email": "organiser@demo.example.org",
                                           "password": "demo-password-2026"}, allow_redirects=False).status_code == 302
    page = web.get(f"{base}/organiser/events/{event}/schedule").text
    started = web.post(f"{base}/organiser/events/{event}/schedule/run", allow_redirects=False,
                       data={"csrf_token": CSRF.search(page).group(1), "time_limit": "2"})
    assert started.status_code == 302 and "/jobs/" in started.headers["Location"], started.text
    job = urljoin(base, started.headers["Location"])
    for _ in range(240):  # the background jobs look for work every 5 seconds
        status = web.get(job + "/status").json()
        if status["finished"]:
            break
        time.sleep(0.25)
    assert status["status"] == "done", (status, log.read_text())
    assert "run_id" in status["result"]
    assert "Traceback" not in log.read_text()
