"""A real browser: Debian's Chromium driven by Playwright, against the app served on loopback,
with axe-core injected to check accessibility."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--disable-dev-shm-usage"]


def _chromium() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium is missing: run `make test` (it installs Debian's chromium), "
                    "or `apt-get install chromium`.", pytrace=False)
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def page(browser):
    # bypass_csp only so that the test can inject axe-core; the app's own pages have no inline script.
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844}, locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make test` (it runs npm ci).", pytrace=False)
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in impacts
    ]


@pytest.fixture
def assert_accessible():
    def check(page):
        violations = axe_violations(page)
        assert violations == [], f"axe-core on {page.url}: {violations}"

    return check
