"""The nginx site in deploy/: valid for `nginx -t`, and in front of gunicorn it caches anonymous
public pages (the second request is a HIT) but never a staff page, a session or a POST.

The test runs the real file with its production paths and ports swapped for temporary ones.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..pg import free_port

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "forum.conf"
VENV_BIN = Path(sys.executable).parent


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    assert found, "nginx is not installed: run scripts/install-test-deps.sh (Debian package nginx)"
    return found


def adapted_config(tmp: Path, *, http_port: int, https_port: int, app_port: int) -> Path:
    """The deploy file with temporary paths and loopback ports, inside a minimal main config."""
    for folder in ("tls", "cache", "logs", "temp", "acme"):
        (tmp / folder).mkdir(exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout", str(tmp / "tls" / "privkey.pem"),
                    "-out", str(tmp / "tls" / "fullchain.pem")], check=True, capture_output=True)
    text = SITE.read_text()
    replacements = {
        "listen [::]:80;": "",
        "listen [::]:443 ssl http2;": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "/etc/letsencrypt/live/forum.example.se/": f"{tmp}/tls/",
        "/var/cache/nginx/forum": f"{tmp}/cache",
        "/var/log/nginx/": f"{tmp}/logs/",
        "/var/www/letsencrypt": f"{tmp}/acme",
        "/srv/forum/app": str(ROOT),
        "127.0.0.1:8000": f"127.0.0.1:{app_port}",
    }
    for old, new in replacements.items():
        assert old in text, f"{old!r} is no longer in {SITE.name}; update the substitutions in this test"
        text = text.replace(old, new)
    site = tmp / "forum.conf"
    site.write_text(text)
    temp = tmp / "temp"
    main = tmp / "nginx.conf"
    main.write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/logs/error.log;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site};
}}
""")
    return main


def nginx_command(main: Path, *args: str) -> list[str]:
    return [nginx_binary(), "-p", str(main.parent), "-c", str(main), "-e", str(main.parent / "logs" / "error.log"), *args]


def test_the_nginx_site_passes_nginx_t(tmp_path):
    main = adapted_config(tmp_path, http_port=free_port(), https_port=free_port(), app_port=free_port())
    result = subprocess.run(nginx_command(main, "-t"), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{process.args[0]} exited with {process.returncode}"
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


class Client:
    def __init__(self, port: int) -> None:
        self.port = port
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None,
                keep_cookies: bool = False) -> tuple[int, dict, str]:
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=30)
        headers = dict(headers or {})
        headers.setdefault("Host", "forum.example.se")
        if keep_cookies and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = "https://forum.example.se"
            headers["Referer"] = f"https://forum.example.se{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read().decode("utf-8", "replace")
        if keep_cookies:
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        result = (response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        connection.close()
        return result


@pytest.fixture
def site_behind_nginx(tmp_path):
    """gunicorn (deploy/gunicorn.conf.py) serving the app on SQLite, nginx (deploy/nginx) in front."""
    instance = tmp_path / "instance"
    instance.mkdir()
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    env = {**os.environ, "FORUM_INSTANCE_PATH": str(instance),
           "DATABASE_URL": f"sqlite:///{instance / 'forum.sqlite3'}", "SECRET_KEY": "nginx-test-secret",
           "BASE_URL": "https://forum.example.se", "PROXY_COUNT": "1", "MAIL_SERVER": "",
           "GUNICORN_BIND": f"127.0.0.1:{app_port}", "GUNICORN_WORKERS": "2", "GUNICORN_LOG_LEVEL": "warning"}
    flask = [str(VENV_BIN / "flask"), "--app", "forum_app"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([*flask, "create-user", "admin@example.org", "--role", "admin"], env=env, cwd=ROOT,
                   input="correct horse battery\ncorrect horse battery\n", text=True, check=True, capture_output=True)
    processes = []
    log = (tmp_path / "gunicorn.log").open("w")  # a file, not a pipe nobody reads that could fill up
    try:
        gunicorn = subprocess.Popen([str(VENV_BIN / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py")],
                                    env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
        processes.append(gunicorn)
        wait_for_port(app_port, gunicorn)
        main = adapted_config(tmp_path, http_port=http_port, https_port=https_port, app_port=app_port)
        nginx = subprocess.Popen(nginx_command(main, "-g", "daemon off;"), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)  # it logs to logs/error.log
        processes.append(nginx)
        wait_for_port(https_port, nginx)
        yield {"https": https_port, "http": http_port, "log": tmp_path / "gunicorn.log"}
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


@pytest.mark.slow
def test_nginx_caches_public_pages_but_never_staff_pages_sessions_or_posts(site_behind_nginx):
    client = Client(site_behind_nginx["https"])

    # Plain HTTP goes to HTTPS; HTTPS answers carry HSTS.
    plain = http.client.HTTPConnection("127.0.0.1", site_behind_nginx["http"], timeout=10)
    plain.request("GET", "/sv/privacy", headers={"Host": "forum.example.se"})
    redirect = plain.getresponse()
    assert redirect.status == 301 and redirect.getheader("Location") == "https://forum.example.se/sv/privacy"

    for page in ("/sv/privacy", "/ar/forums/"):
        status, headers, first = client.request("GET", page)
        assert status == 200, (page, status, site_behind_nginx["log"].read_text()[-3000:])
        assert "max-age=63072000" in headers["strict-transport-security"]
        assert "public" in headers.get("cache-control", ""), (page, headers.get("cache-control"))
        assert "set-cookie" not in headers, page
        assert headers["x-cache-status"] in ("MISS", "EXPIRED"), page
        status, headers, second = client.request("GET", page)
        assert status == 200 and headers["x-cache-status"] == "HIT", (page, headers)
        assert second == first
        # Anyone with a session (logged in, or halfway through a form) goes past the cache.
        status, headers, _ = client.request("GET", page, headers={"Cookie": "session=something"})
        assert headers["x-cache-status"] == "BYPASS"

    # The content-hashed stylesheet: a year's immutable cache, and nginx keeps it after the first request.
    stylesheet = re.search(r'<link rel="stylesheet" href="(/static/[^"]+)"', first).group(1)
    for expected in (("MISS", "EXPIRED"), ("HIT",)):
        status, headers, css = client.request("GET", stylesheet)
        assert status == 200 and "immutable" in headers["cache-control"] and "body" in css
        assert headers["x-cache-status"] in expected

    # A staff page: anonymous (a redirect to the login page) and logged in, never from the cache.
    for _ in range(2):
        status, headers, _ = client.request("GET", "/sv/admin/")
        assert status == 302 and headers.get("x-cache-status") != "HIT"
    status, _, login_page = client.request("GET", "/sv/login", keep_cookies=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    form = f"csrf_token={token}&email=admin%40example.org&password=correct+horse+battery"
    status, headers, _ = client.request("POST", "/sv/login", body=form, keep_cookies=True)
    assert status == 302, headers
    assert headers.get("x-cache-status", "") != "HIT"
    for _ in range(2):
        status, headers, dashboard = client.request("GET", "/sv/admin/", keep_cookies=True)
        assert status == 200 and "admin@example.org" in dashboard
        assert headers["x-cache-status"] == "BYPASS" and "no-store" in headers["cache-control"]

    # POSTs are never answered from the cache, and too many form posts from one client get 429.
    statuses = []
    for _ in range(10):
        status, headers, _ = client.request("POST", "/sv/login", body="email=x%40example.org&password=wrong")
        assert headers.get("x-cache-status", "") != "HIT"
        statuses.append(status)
    assert 429 in statuses, statuses
