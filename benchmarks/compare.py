"""The platform beside a bare Flask + Flask-SQLAlchemy app, under the same load, in one run.

    .venv/bin/python benchmarks/compare.py                          # SQLite, then PostgreSQL
    .venv/bin/python benchmarks/compare.py --databases sqlite --duration 5 --rounds 1

For each database it builds the benchmark data (``benchmarks.pages.build``: 24 forums, 6,000
registrations), starts the platform and ``benchmarks/bare_app.py`` under gunicorn (same number of sync
workers) on free loopback ports, and loads each page with ``wrk`` (Debian package ``wrk``), the two apps
taking turns, page by page. It prints req/s, p50 and p99 latency and the ratio platform / bare per page,
then memory per worker, then 200 simultaneous registrations for 150 places. PostgreSQL is a throwaway
cluster started the way the test suite does (``tests/pg.py``). Copy the tables into docs/benchmarks.md with
the date and the machine.

wrk sends no cookie, as a first-time visitor or a QR-code scan does, so the platform answers with its
cacheable public pages. Nothing in front caches here: every request reaches Python.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pg import Cluster, free_port  # noqa: E402


def wrk(url: str, duration: int, connections: int, headers: dict | None = None) -> dict:
    options = [part for name, value in (headers or {}).items() for part in ("-H", f"{name}: {value}")]
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", *options, url],
                         check=True, capture_output=True, text=True).stdout
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * units[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "p50": latency("50"), "p99": latency("99"), "errors": int(errors.group(1)) if errors else 0}


def workers_cpu_seconds(master: int) -> float:
    """CPU time used so far by the gunicorn workers of ``master`` (user + system)."""
    total = 0
    for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds() -> float:
    """CPU time used so far by the PostgreSQL server's processes on this machine (0 with SQLite, which
    runs inside the workers). Only while nothing else runs a PostgreSQL server here."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, rest = stat.read_text().split(" (", 1)[1].rsplit(")", 1)
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        if name == "postgres":
            fields = rest.split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def measured(url: str, master: int, duration: int, connections: int) -> dict:
    """One wrk run, plus the workers' CPU time per request: other work on a shared machine changes
    req/s from run to run, CPU per request much less."""
    before = workers_cpu_seconds(master)
    result = wrk(url, duration, connections)
    result["cpu_ms"] = (workers_cpu_seconds(master) - before) * 1000 / max(result["requests"], 1)
    return result


@contextmanager
def gunicorn(app_spec: str, env: dict, workers: int, probe: str, threads: int = 1):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", str(threads), "-b", f"127.0.0.1:{port}",
         "--chdir", str(ROOT), "--log-level", "warning", app_spec], env={**os.environ, **env}, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + probe, timeout=10).read()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if process.poll() is not None:
                    raise RuntimeError(f"gunicorn for {app_spec} exited with {process.returncode}")
                time.sleep(0.1)
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def worker_memory_mib(master: int) -> list[float]:
    """Resident memory of each gunicorn worker (children of the master process)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return sizes


def build_data(url: str, folder: str) -> int:
    from benchmarks.pages import build
    from forum_app import create_app
    from forum_app.core.extensions import db

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                      "BASE_URL": "http://localhost"})
    forum_id = build(app)
    with app.app_context():
        db.engine.dispose()
    return forum_id


def add_small_forum(url: str, folder: str, capacity: int) -> int:
    """A forum open for registration with ``capacity`` places and nobody registered yet."""
    from forum_app import create_app
    from forum_app.core.extensions import db
    from forum_app.core.models_base import utcnow
    from forum_app.planning.models import Forum, ForumStatus, Topic

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                      "BASE_URL": "http://localhost"})
    with app.app_context():
        topic_id = db.session.scalar(db.select(Topic.id).order_by(Topic.id.desc()))
        starts = utcnow() + timedelta(days=30)
        forum = Forum(topic_id=topic_id, hook={"sv": "Rusning!"}, starts_at=starts, ends_at=starts + timedelta(hours=3),
                      venue_name="Stadshuset", venue_address="Torget 1", capacity=capacity,
                      status=ForumStatus.PUBLISHED)
        db.session.add(forum)
        db.session.commit()
        forum_id = forum.id
        db.engine.dispose()
    return forum_id


def _post_threads(page: str, prepared: list) -> list[tuple[float, int]]:
    """Each resident's post from a thread of its own through urllib, all released at once."""
    start = threading.Barrier(len(prepared))

    def send(args) -> tuple[float, int]:  # noqa: ANN001
        opener, data = args
        start.wait()
        began = time.perf_counter()
        try:
            status = opener.open(page, data=data, timeout=120).status
        except urllib.error.HTTPError as error:
            status = error.code
        return (time.perf_counter() - began) * 1000, status

    with ThreadPoolExecutor(max_workers=len(prepared)) as pool:
        return list(pool.map(send, prepared))


def _post_asyncio(page: str, prepared: list) -> list[tuple[float, int]]:
    """The same posts (a new connection each, as urllib makes them), written by one asyncio loop: the
    client then takes a fraction of the CPU it shares with the server on this machine, where a real
    rush's clients are the residents' phones."""
    url = urllib.parse.urlsplit(page)

    def request(opener, data: bytes) -> bytes:  # noqa: ANN001
        jar = next(h for h in opener.handlers if isinstance(h, urllib.request.HTTPCookieProcessor)).cookiejar
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
        return (f"POST {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(data)}\r\n"
                f"Cookie: {cookies}\r\nConnection: close\r\n\r\n").encode() + data

    raw = [request(opener, data) for opener, data in prepared]

    async def one(bytes_: bytes) -> tuple[float, int]:
        began = time.perf_counter()
        reader, writer = await asyncio.open_connection(url.hostname, url.port)
        writer.write(bytes_)
        answer = await reader.read()  # to the end: the server closes the connection after its answer
        writer.close()
        return (time.perf_counter() - began) * 1000, int(answer.split(b" ", 2)[1])

    async def all_at_once() -> list[tuple[float, int]]:
        return list(await asyncio.gather(*(one(bytes_) for bytes_ in raw)))

    return asyncio.run(all_at_once())


CLIENTS = {"asyncio": _post_asyncio, "threads": _post_threads}


def rush(base: str, forum_id: int, people: int, master: int, first: int = 0, client: str = "asyncio") -> dict:
    """``people`` residents load the form, then all send it at the same moment. Also the workers' CPU
    time per person for each part, the database server's and this client's own (they share the machine's
    cores). ``first`` numbers the residents (their addresses must differ from those of an earlier rush)."""
    page = f"{base}/sv/forums/{forum_id}/register"

    def prepare(n: int):  # noqa: ANN202
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        html = opener.open(page, timeout=60).read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, "name": f"Rush {n}", "email": f"rush{n}@example.org",
                                       "spoken_language": "ar", "interpretation": "", "consent": "y"}).encode()
        return opener, data

    cpu_start = workers_cpu_seconds(master)
    with ThreadPoolExecutor(max_workers=people) as pool:
        prepared = list(pool.map(prepare, range(first, first + people)))
    cpu_loaded = workers_cpu_seconds(master)
    client_before, database_before = time.process_time(), database_cpu_seconds()
    results = CLIENTS[client](page, prepared)
    client_ms = (time.process_time() - client_before) * 1000 / people
    database_ms = (database_cpu_seconds() - database_before) * 1000 / people
    cpu_answered = workers_cpu_seconds(master)
    time.sleep(6)  # the background attempts to send the confirmations run after the answers (QUIET_WAIT)
    cpu_sent = workers_cpu_seconds(master)
    times = sorted(t for t, _status in results)
    return {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1], "max": times[-1],
            "errors": sum(1 for _t, status in results if status >= 500),
            "form_cpu_ms": (cpu_loaded - cpu_start) * 1000 / people,
            "post_cpu_ms": (cpu_sent - cpu_loaded) * 1000 / people, "client_cpu_ms": client_ms,
            "answer_cpu_ms": (cpu_answered - cpu_loaded) * 1000 / people, "database_cpu_ms": database_ms}


def describe_rush(result: dict, people: int) -> str:
    return (f"p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, slowest {result['max']:.0f} ms, "
            f"{result['errors']} server errors; workers' CPU a person: {result['form_cpu_ms']:.1f} ms loading the "
            f"form, {result['post_cpu_ms']:.1f} ms sending it ({result['answer_cpu_ms']:.1f} ms until every answer, the rest "
            f"writing and handing on the confirmations); the database server's CPU {result['database_cpu_ms']:.1f} ms "
            f"and this client's {result['client_cpu_ms']:.1f} ms a post until every answer; p95 "
            f"{result['p95'] / cpu_limit_ms(result, people):.2f} times its CPU limit")


def cpu_limit_ms(result: dict, people: int) -> float:
    """The rush's CPU limit, as issue 25 measures it: the time ``people`` posts need of every core when they
    are all sent at once, counting the workers' CPU a post until every answer, the database server's and this
    client's (they share the machine's cores). A p95 near it means nobody waited for anything but a core."""
    per_post = result["answer_cpu_ms"] + result["database_cpu_ms"] + result["client_cpu_ms"]
    return people * per_post / (os.cpu_count() or 1)


def count_statuses(url: str, folder: str, forum_id: int) -> dict[str, int]:
    """The forum's registrations by status, and the outbox's messages by status (``unwritten``: still a
    recipe, ``mail_sent``: written and handed on after the answers)."""
    from forum_app import create_app
    from forum_app.core.extensions import db
    from forum_app.mail.outbox.models import OutboxMessage
    from forum_app.registrations.models import Registration

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                      "BASE_URL": "http://localhost"})
    with app.app_context():
        rows = db.session.execute(db.select(Registration.status, db.func.count())
                                  .where(Registration.forum_id == forum_id).group_by(Registration.status)).all()
        mail = db.session.execute(db.select(OutboxMessage.status, OutboxMessage.recipe.is_not(None), db.func.count())
                                  .group_by(OutboxMessage.status, OutboxMessage.recipe.is_not(None))).all()
        db.engine.dispose()
    counts = {status.value: number for status, number in rows}
    for status, unwritten, number in mail:
        key = "unwritten" if unwritten else f"mail_{status.value}"
        counts[key] = counts.get(key, 0) + number
    return counts


def _pages(database: str, url: str, folder: str, forum_id: int, env: dict, args) -> None:  # noqa: ANN001
    pages = ["/en/forums/", "/ar/forums/", "/sv/", f"/ar/forums/{forum_id}"]
    print(f"\n### {database}: gunicorn, {args.workers} sync workers each; "
          f"wrk -t2 -c{args.connections} -d{args.duration}s, {args.rounds} round(s) per page\n")
    rows = []
    with gunicorn("forum_app:create_app()", env, args.workers, "/healthz") as (platform, platform_pid), \
            gunicorn("benchmarks.bare_app:create_app()", {"DATABASE_URL": url}, args.workers, "/sv/") as (bare, bare_pid):
        for base in (platform, bare):  # warm up both: imports, templates, connection pools
            for page in pages:
                wrk(base + page, 1, args.connections)
        for n, page in enumerate(pages):
            samples: dict[str, list[dict]] = {"platform": [], "bare": []}
            order = [("platform", platform, platform_pid), ("bare", bare, bare_pid)]
            for round_ in range(args.rounds):
                for name, base, pid in (order if (n + round_) % 2 == 0 else order[::-1]):
                    samples[name].append(measured(base + page, pid, args.duration, args.connections))
            mean = {name: {key: statistics.mean(s[key] for s in runs) for key in ("rps", "p50", "p99", "errors", "cpu_ms")}
                    for name, runs in samples.items()}
            rows.append((page, mean["platform"], mean["bare"]))
        memory = worker_memory_mib(platform_pid)

    print("| page | platform req/s | p50 ms | p99 ms | bare req/s | p50 ms | p99 ms | ratio | CPU ms/req platform / bare | CPU ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for page, mine, theirs in rows:
        flag = " (errors!)" if mine["errors"] or theirs["errors"] else ""
        print(f"| `{page.replace(str(forum_id), '<id>')}` | {mine['rps']:.0f} | {mine['p50']:.1f} | {mine['p99']:.1f} "
              f"| {theirs['rps']:.0f} | {theirs['p50']:.1f} | {theirs['p99']:.1f} "
              f"| {mine['rps'] / theirs['rps']:.2f}{flag} | {mine['cpu_ms']:.2f} / {theirs['cpu_ms']:.2f} "
              f"| {theirs['cpu_ms'] / mine['cpu_ms']:.2f} |")
    print("\nMemory per platform worker after the load (RSS): "
          + ", ".join(f"{m:.0f} MiB" for m in memory))


def run(database: str, url: str, folder: str, args) -> None:  # noqa: ANN001
    forum_id = build_data(url, folder)
    env = {"DATABASE_URL": url, "FORUM_INSTANCE_PATH": folder, "SECRET_KEY": "bench",
           "BASE_URL": "http://localhost", "FORUM_ENV": "development", "MAIL_SERVER": "", "MAIL_AFTER_COMMIT": os.environ.get("MAIL_AFTER_COMMIT", "background")}
    if args.rounds:  # --rounds 0: only the registration rush
        _pages(database, url, folder, forum_id, env, args)

    if args.rush:
        rush_id = add_small_forum(url, folder, capacity=150)
        warm_id = add_small_forum(url, folder, capacity=1000)
        with gunicorn("forum_app:create_app()", {**env, "REGISTRATION_LIMIT": "0"}, args.rush_workers,
                      "/healthz", threads=args.rush_threads) as (platform, master):
            # A site that has been up a while: every worker has compiled its templates and loaded what a
            # registration needs. The same rush on just-started workers is printed as well.
            if args.warm:
                cold = rush(platform, warm_id, args.warm, master, first=100_000, client=args.rush_client)
            result = rush(platform, rush_id, args.rush, master, client=args.rush_client)
        statuses = count_statuses(url, folder, rush_id)
        if args.warm:
            print(f"\nwarm-up: {args.warm} simultaneous registrations for another forum on just-started workers: "
                  f"{describe_rush(cold, args.warm)}")
        print(f"\n{args.rush} simultaneous registrations for 150 places (gunicorn, {args.rush_workers} workers "
              f"x {args.rush_threads} threads; {args.rush_client} client): "
              f"{statuses.get('confirmed', 0)} confirmed, {statuses.get('waiting', 0)} waiting; "
              f"{describe_rush(result, args.rush)}")
        print(f"Confirmations (with the warm-up's): {statuses.get('mail_sent', 0)} written and handed on after the "
              f"answers, {statuses.get('unwritten', 0)} not written, {statuses.get('mail_failed', 0)} failed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--duration", type=int, default=5, help="seconds of one wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="wrk runs per page and app, the apps taking turns")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rush", type=int, default=200, help="simultaneous registrations (0 to skip)")
    parser.add_argument("--rush-workers", type=int, default=4)
    parser.add_argument("--rush-threads", type=int, default=8)
    parser.add_argument("--rush-client", choices=sorted(CLIENTS), default="asyncio",
                        help="how the posts are sent: one asyncio loop, or a thread each through urllib")
    parser.add_argument("--warm", type=int, default=100,
                        help="registrations for another forum before the rush, to warm the workers up (0: none)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    for database in args.databases.split(","):
        folder = tempfile.mkdtemp(prefix="forum-compare-")
        try:
            if database == "sqlite":
                run(database, f"sqlite:///{folder}/bench.sqlite3", folder, args)
            else:
                cluster = Cluster().start()
                try:
                    run(database, cluster.create_database("bench"), folder, args)
                finally:
                    cluster.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
