"""Public pages through the deployment's nginx cache beside the same pages straight from gunicorn.

    .venv/bin/python benchmarks/nginx_cache.py                 # needs nginx, openssl and wrk (Debian packages)
    .venv/bin/python benchmarks/nginx_cache.py --duration 10

Builds the benchmark data (``benchmarks.pages.build``) in SQLite, starts the platform under gunicorn
(2 sync workers) and nginx with ``deploy/nginx/forum.conf``, its paths and ports swapped for temporary
loopback ones exactly as ``tests/deploy/test_nginx.py`` does (HTTPS with a throwaway certificate, one nginx
worker). Then, page by page, ``wrk`` loads gunicorn directly and then nginx (after one request that fills
the cache), and prints req/s, latency, the ratio, and the CPU time gunicorn's workers spent during each
run: behind the cache it stays near zero, which is the point (the pages are ``public, max-age=60``).
"""

from __future__ import annotations

import argparse
import os
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.compare import build_data, gunicorn, workers_cpu_seconds, wrk  # noqa: E402
from tests.deploy.test_nginx import adapted_config, nginx_command, wait_for_port  # noqa: E402
from tests.pg import free_port  # noqa: E402

HOST = "forum.example.se"


def process_cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def nginx_pids(master: int) -> list[int]:
    return [master, *(int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds of one wrk run")
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="forum-nginx-"))
    url = f"sqlite:///{folder}/bench.sqlite3"
    forum_id = build_data(url, str(folder))
    env = {"DATABASE_URL": url, "FORUM_INSTANCE_PATH": str(folder), "SECRET_KEY": "bench",
           "BASE_URL": f"https://{HOST}", "PROXY_COUNT": "1", "MAIL_SERVER": ""}
    pages = ["/en/forums/", "/sv/", f"/ar/forums/{forum_id}"]
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {os.cpu_count()} CPUs; wrk -t2 -c{args.connections} "
          f"-d{args.duration}s; gunicorn 2 sync workers; nginx 1 worker, HTTPS\n")
    rows = []
    with gunicorn("forum_app:create_app()", env, 2, "/healthz") as (direct, master):
        https = free_port()
        config = adapted_config(folder, http_port=free_port(), https_port=https,
                                app_port=int(direct.rsplit(":", 1)[1]))
        nginx = subprocess.Popen(nginx_command(config, "-g", "daemon off;"), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        try:
            wait_for_port(https, nginx)
            headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
            for page in pages:
                wrk(direct + page, 1, args.connections, headers)  # warm up
                before = workers_cpu_seconds(master)
                straight = wrk(direct + page, args.duration, args.connections, headers)
                straight["app_cpu"] = workers_cpu_seconds(master) - before
                cached_url = f"https://127.0.0.1:{https}{page}"
                wrk(cached_url, 1, args.connections, {"Host": HOST})  # fills the cache
                answer = urllib.request.urlopen(urllib.request.Request(cached_url, headers={"Host": HOST}),
                                                context=ssl._create_unverified_context(), timeout=10)
                body = answer.read()
                assert answer.status == 200 and answer.headers["X-Cache-Status"] == "HIT", answer.headers
                assert len(body) == len(urllib.request.urlopen(direct + page, timeout=30).read()), page
                before, nginx_before = workers_cpu_seconds(master), process_cpu_seconds(nginx_pids(nginx.pid))
                cached = wrk(cached_url, args.duration, args.connections, {"Host": HOST})
                cached["app_cpu"] = workers_cpu_seconds(master) - before
                cached["nginx_cpu"] = process_cpu_seconds(nginx_pids(nginx.pid)) - nginx_before
                rows.append((page, straight, cached))
        finally:
            nginx.terminate()
            nginx.wait(timeout=15)
    print("| page | gunicorn req/s | p50 ms | p99 ms | through nginx req/s | p50 ms | p99 ms | ratio "
          "| gunicorn CPU s (direct / behind nginx) | nginx CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for page, straight, cached in rows:
        flag = " (errors!)" if straight["errors"] or cached["errors"] else ""
        print(f"| `{page.replace(str(forum_id), '<id>')}` | {straight['rps']:.0f} | {straight['p50']:.1f} "
              f"| {straight['p99']:.1f} | {cached['rps']:.0f} | {cached['p50']:.1f} | {cached['p99']:.1f} "
              f"| {cached['rps'] / straight['rps']:.0f}×{flag} | {straight['app_cpu']:.1f} / {cached['app_cpu']:.2f} "
              f"| {cached['nginx_cpu']:.1f} |")


if __name__ == "__main__":
    main()
