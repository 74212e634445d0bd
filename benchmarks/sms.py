"""SMS throughput against a real Kannel (bearerbox + smsbox) with fakesmsc as the operator, started as the tests
start it (tests/kannel.py).

    .venv/bin/python benchmarks/sms.py                  # 2,000 SMS a run
    .venv/bin/python benchmarks/sms.py --count 500 --rounds 1   # a quick look

Each run sends the same SMS (Tigrinya, Arabic and Swedish texts of one or two segments, to different numbers),
then waits until fakesmsc has printed every one:

- *bare loop*: ``http.client`` GETs straight to sendsms over one kept-alive connection, nothing else.
- *KannelConnection*: the app's transport (``mail.sms.KannelConnection``) over one connection.
- *outbox*: the same SMS as outbox rows (written, sealed, as a retry keeps them), sent by the outbox's own
  sender (``outbox.sending.send_due``: batch claims, one Kannel connection a batch, each row marked sent) on
  SQLite in a temporary folder. The rows are queued before the clock starts (a request queues them).

The runs take turns (``--rounds``, 3 by default) and each shows its best round: on a shared machine the
spread between rounds is wider than between the runs. "accepted/s" counts Kannel's answers ("0: Accepted for delivery"); "delivered/s" runs until the operator has
had the last part; "CPU ms/SMS" is the sending process's own CPU time (the outbox's includes its database).
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forum_app.mail.sms import KannelConnection, is_gsm7, segments  # noqa: E402
from tests.kannel import Kannel  # noqa: E402

TEXTS = [
    "ሰላም! ምዝገባኹም ተቐቢልና። ፎረም ሰኑይ 14 ሚያዝያ 17:00፣ ቤተ-መጻሕፍቲ። ሊንክ: https://forum.example.se/r/Xy3k9Qw2",
    "تم تسجيلك في المنتدى يوم الاثنين 14 أبريل الساعة 17:00 في المكتبة. رابطك: https://forum.example.se/r/Xy3k9Qw2",
    "Du är anmäld till forumet måndag 14 april kl. 17.00 på biblioteket. Din länk: https://forum.example.se/r/Xy3k9Qw2",
]

Message = tuple[str, str]  # (to, text)
Sender = Callable[[list[Message]], None]
Prepare = Callable[[list[Message]], None]  # what happens before the clock starts


def messages(count: int) -> list[Message]:
    return [(f"+4670{n:07d}", TEXTS[n % len(TEXTS)]) for n in range(count)]


def bare_loop(kannel: Kannel) -> Sender:
    """Each SMS a GET straight to sendsms, over one kept-alive connection."""

    def send(batch: list[Message]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", kannel.sendsms_port, timeout=30)
        base = {"username": kannel.username, "password": kannel.password, "from": "Forum", "charset": "UTF-8"}
        for to, text in batch:
            query = urlencode({**base, "to": to, "text": text, "coding": "0" if is_gsm7(text) else "2"})
            connection.request("GET", f"/cgi-bin/sendsms?{query}")
            response = connection.getresponse()
            body = response.read()
            assert response.status == 202, body
        connection.close()

    return send


def transport(kannel: Kannel) -> Sender:
    """The app's KannelConnection."""

    def send(batch: list[Message]) -> None:
        connection = KannelConnection(kannel.sendsms_url, kannel.username, kannel.password, "Forum")
        for to, text in batch:
            connection.send(to, text)
        connection.quit()

    return send


def outbox(kannel: Kannel, folder: str) -> tuple[Sender, Prepare]:
    """The outbox's sender on an app of its own (SQLite in ``folder``): ``prepare`` queues the batch as rows,
    ``send`` runs ``send_due`` until none is left."""
    from flask_migrate import upgrade

    from forum_app import create_app
    from forum_app.core.extensions import db
    from forum_app.core.tokens import seal_bytes
    from forum_app.mail.outbox import sending
    from forum_app.mail.outbox.models import OutboxMessage

    app = create_app({"DATABASE_URL": f"sqlite:///{folder}/bench.db", "INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                      "BASE_URL": "http://localhost", "MAIL_AFTER_COMMIT": "off", **kannel.settings()})
    with app.app_context():
        upgrade()

    def prepare(batch: list[Message]) -> None:
        with app.app_context():
            db.session.query(OutboxMessage).delete()
            for to, text in batch:
                row = OutboxMessage.waiting(to, "benchmark", recipe=None, channel="sms")
                row.message = seal_bytes(text.encode("utf-8"))
                db.session.add(row)
            db.session.commit()

    def send(batch: list[Message]) -> None:
        with app.app_context():
            result = sending.send_due()
            assert result.sent == len(batch), result

    return send, prepare


def measure(kannel: Kannel, name: str, send: Sender, batch: list[Message], prepare: Prepare | None = None) -> dict:
    """Time ``send(batch)`` and the operator receiving all of it (after ``prepare(batch)``, untimed)."""
    if prepare is not None:
        prepare(batch)
    kannel.clear()
    started, cpu = time.perf_counter(), time.process_time()
    send(batch)
    accepted = time.perf_counter() - started
    cpu = time.process_time() - cpu
    kannel.wait_for(len(batch), timeout=600)
    delivered = time.perf_counter() - started
    received = kannel.received()
    assert sorted((m.to, m.text) for m in received) == sorted(batch), "fakesmsc got other SMS than were sent"
    return {"name": name, "count": len(batch), "segments": sum(m.parts for m in received),
            "accepted_per_second": len(batch) / accepted, "delivered_per_second": len(batch) / delivered,
            "cpu_ms": 1000 * cpu / len(batch)}


def report(results: list[dict]) -> None:
    print(f"{'run':<22} {'SMS':>6} {'segments':>9} {'accepted/s':>11} {'delivered/s':>12} {'median':>7} "
          f"{'CPU ms/SMS':>11}")
    for result in results:
        median = result.get("median_delivered_per_second", result["delivered_per_second"])
        print(f"{result['name']:<22} {result['count']:>6} {result['segments']:>9} "
              f"{result['accepted_per_second']:>11.0f} {result['delivered_per_second']:>12.0f} {median:>7.0f} "
              f"{result['cpu_ms']:>11.2f}")
    if len(results) > 1:
        bare = results[0]
        for result in results[1:]:
            ratio = result["delivered_per_second"] / bare["delivered_per_second"]
            median = result.get("median_delivered_per_second", 0) / bare.get("median_delivered_per_second", 1)
            print(f"{result['name']}: {ratio:.2f} of the bare loop (delivered, best rounds), {median:.2f} (medians)")


def best_of(rounds: int, kannel: Kannel, runs: dict[str, Sender | tuple[Sender, Prepare]],
            batch: list[Message]) -> list[dict]:
    """Each run ``rounds`` times, taking turns (the order turned round each round); the best round of each,
    with the median of its rounds' delivered/s beside it (on a shared machine the two can differ widely)."""
    best: dict[str, dict] = {}
    delivered: dict[str, list[float]] = {name: [] for name in runs}
    for number in range(rounds):
        for name, run in (list(runs.items()) if number % 2 == 0 else list(reversed(runs.items()))):
            send, prepare = run if isinstance(run, tuple) else (run, None)
            result = measure(kannel, name, send, batch, prepare)
            delivered[name].append(result["delivered_per_second"])
            if name not in best or result["delivered_per_second"] > best[name]["delivered_per_second"]:
                best[name] = result
    return [{**best[name], "median_delivered_per_second": statistics.median(delivered[name])} for name in runs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    batch = messages(args.count)
    print(f"{args.count} SMS, {sum(segments(text) for _to, text in batch)} segments, texts of "
          f"{sorted({segments(text) for text in TEXTS})} segments")
    with tempfile.TemporaryDirectory(prefix="forum-kannel-") as folder:
        kannel = Kannel(Path(folder)).start()
        try:
            measure(kannel, "warm-up", bare_loop(kannel), batch[:100])
            results = best_of(args.rounds, kannel, {"bare loop": bare_loop(kannel),
                                                    "KannelConnection": transport(kannel),
                                                    "outbox": outbox(kannel, folder)}, batch)
        finally:
            kannel.stop()
    report(results)


if __name__ == "__main__":
    main()
