"""SMS through a real Kannel (bearerbox + smsbox, fakesmsc as the operator): texts in every script arrive intact,
many go over one connection, and a Kannel that is down or refuses says so in the two ways the outbox needs
(try again later / failed with Kannel's answer). Without SMS_URL each SMS is a readable UTF-8 file.

None of these touches a database: they run once, not once per database. Kannel starts in well under a second
(once a session), so they are not marked slow.
"""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask

from forum_app.mail import sms
from forum_app.mail.sms import KannelConnection, SmsRefused, SmsTemporary

from ..conftest import wait_until
from ..kannel import Sms, parse_fakesmsc
from ..pg import free_port

TIGRINYA = "ሰላም! ምዝገባኹም ተቐቢልና። ፎረም ሰኑይ 14 ሚያዝያ ሰዓት 17:00 ኣብ ቤተ-መጻሕፍቲ።"
ARABIC = "مرحباً! تم تسجيلك. المنتدى يوم الاثنين 14 أبريل الساعة 17:00 في المكتبة."
SWEDISH = "Hej Åsa! Du är anmäld till forumet måndag 14 april kl. 17.00 på biblioteket. Välkommen!"
NUMBER = "+46701234567"


@pytest.fixture
def kannel_connection(kannel):
    connection = KannelConnection(kannel.sendsms_url, kannel.username, kannel.password, "Forum")
    yield connection
    connection.quit()


@pytest.mark.parametrize("text", [TIGRINYA, ARABIC], ids=["tigrinya", "arabic"])
def test_a_text_outside_gsm_arrives_intact_as_ucs2(kannel, kannel_connection, text):
    assert not sms.is_gsm7(text)

    answer = kannel_connection.send(NUMBER, text)

    assert answer == "0: Accepted for delivery"
    assert kannel.wait_for(1) == [Sms("Forum", NUMBER, text, parts=sms.segments(text))]


def test_a_swedish_text_goes_as_gsm_and_arrives_intact(kannel, kannel_connection):
    text = f"{SWEDISH}\nLänk: https://forum.example.se/r/abc {{€}}"
    assert sms.is_gsm7(text)

    kannel_connection.send(NUMBER, text)

    assert kannel.wait_for(1) == [Sms("Forum", NUMBER, text, parts=1)]


@pytest.mark.parametrize("text", [
    "x" * 160, "x" * 161, "x" * 306, "x" * 307, "€" * 80, "€" * 81, "ሰ" * 70, "ሰ" * 71, "ሰ" * 134, "ሰ" * 135,
    "x" * 152 + "€" + "x" * 152, "ሰ" * 66 + "🙂" + "ሰ" * 66, "🙂" * 36,
], ids=lambda text: f"{text[0]}*{len(text)}")
def test_segments_is_what_kannel_makes_of_a_long_text(kannel, kannel_connection, text):
    kannel_connection.send(NUMBER, text)

    (received,) = kannel.wait_for(1)
    assert received.text == text
    assert received.parts == sms.segments(text)


@pytest.fixture
def connections(monkeypatch):
    """The addresses of the TCP connections opened from here on."""
    opened = []
    real_connect = socket.create_connection

    def counting(address, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        opened.append(address)
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", counting)
    return opened


def test_many_sms_go_over_one_connection(kannel, kannel_connection, connections):
    texts = [f"{word} {n}" for n, word in enumerate([TIGRINYA, ARABIC, SWEDISH] * 4)]

    answers = [kannel_connection.send(NUMBER, text) for text in texts]

    assert answers == ["0: Accepted for delivery"] * len(texts)
    assert connections == [("127.0.0.1", kannel.sendsms_port)]
    assert sorted(m.text for m in kannel.wait_for(len(texts))) == sorted(texts)


def test_kannel_down_is_temporary_and_the_same_connection_sends_once_it_is_back(kannel, kannel_connection):
    kannel_connection.send(NUMBER, "före")
    kannel.stop_smsbox()

    with pytest.raises(SmsTemporary) as down:
        kannel_connection.send(NUMBER, "under")
    assert sms.is_temporary(down.value)
    assert "Connection refused" in sms.describe(down.value)

    kannel.start_smsbox()
    kannel_connection.send(NUMBER, "efter")
    assert [m.text for m in kannel.wait_for(2)] == ["före", "efter"]


def test_a_connection_kannel_closed_while_idle_is_opened_again_once(kannel, kannel_connection, connections):
    kannel_connection.send(NUMBER, "ett")
    kannel.stop_smsbox()  # closes the kept-alive connection from Kannel's side
    kannel.start_smsbox()
    connections.clear()  # the fixture's own checks while starting smsbox

    kannel_connection.send(NUMBER, "två")
    kannel_connection.send(NUMBER, "tre")

    assert connections == [("127.0.0.1", kannel.sendsms_port)]
    assert [m.text for m in kannel.wait_for(3)] == ["ett", "två", "tre"]


def test_wrong_credentials_are_refused_with_kannels_answer(kannel):
    connection = KannelConnection(kannel.sendsms_url, kannel.username, "not-the-password", "Forum")

    with pytest.raises(SmsRefused) as refused:
        connection.send(NUMBER, "hej")

    assert not sms.is_temporary(refused.value)
    assert sms.describe(refused.value) == "403 Authorization failed for sendsms"
    connection.quit()


def test_a_number_kannel_refuses_fails_alone_and_the_connection_goes_on(kannel, kannel_connection):
    with pytest.raises(SmsRefused) as refused:
        kannel_connection.send(kannel.refused_to, "hej")
    kannel_connection.send(NUMBER, "nästa")

    assert sms.describe(refused.value) == "400 Number(s) has/have been denied by white- and/or black-lists."
    assert [m.text for m in kannel.wait_for(1)] == ["nästa"]


def test_the_work_runs_once_while_kannel_answers_and_once_when_kannel_is_down(kannel, kannel_connection):
    ran = []
    kannel_connection.send(NUMBER, "ett", while_server_answers=lambda: ran.append("ett"))
    kannel.stop_smsbox()
    with pytest.raises(SmsTemporary):
        kannel_connection.send(NUMBER, "två", while_server_answers=lambda: ran.append("två"))

    assert ran == ["ett", "två"]


class _Recorder(BaseHTTPRequestHandler):
    """Keeps the query of every GET: the app's delivery-report address as Kannel calls it."""

    queries: list[dict[str, str]]

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.queries.append(dict(parse_qsl(urlsplit(self.path).query)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass


@contextmanager
def http_server(handler: type[BaseHTTPRequestHandler]):
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_an_sms_with_a_reference_gets_its_delivery_reports(kannel):
    reports = []
    recorder = type("Recorder", (_Recorder,), {"queries": reports})
    with http_server(recorder) as address:
        connection = KannelConnection(kannel.sendsms_url, kannel.username, kannel.password, "Forum",
                                      dlr_url=f"{address}/sms/report?key=k")
        connection.send(NUMBER, TIGRINYA * 2, reference="42")  # two parts, reported once
        connection.send(NUMBER, "utan rapport")
        connection.quit()
        kannel.wait_for(2)
        wait_until(lambda: len(reports) >= 2, 30, "two delivery reports")

    assert sorted((r["sms"], sms.DELIVERY_REPORT_KINDS[int(r["type"])], r["key"]) for r in reports) == [
        ("42", "delivered", "k"), ("42", "operator_accepted", "k")]


class _Busy(BaseHTTPRequestHandler):
    """Answers as Kannel does when its queue is full."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = b"4: Message queue full"
        self.send_response(503)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass


def test_a_5xx_answer_is_temporary_with_the_answer():
    with http_server(_Busy) as address:
        connection = KannelConnection(f"{address}/cgi-bin/sendsms", "u", "p")
        with pytest.raises(SmsTemporary) as busy:
            connection.send(NUMBER, "hej")
        connection.quit()

    assert sms.describe(busy.value) == "503 4: Message queue full"


def _app(**config: str) -> Flask:
    app = Flask(__name__)
    app.config.update({"SMS_URL": "", "SMS_USERNAME": "", "SMS_PASSWORD": "", "SMS_FROM": "", "SMS_DLR_URL": "",
                       **config})
    return app


def test_without_sms_url_each_sms_is_a_readable_utf8_file(tmp_path):
    with _app(SMS_OUTBOX=str(tmp_path / "sms")).app_context(), sms.connection() as connection:
        assert isinstance(connection, sms.SmsFolder)
        connection.send(NUMBER, TIGRINYA)
        connection.send("+46709876543", SWEDISH)

    files = sorted((tmp_path / "sms").iterdir())
    assert [f.suffix for f in files] == [".txt", ".txt"]
    first, second = (f.read_text(encoding="utf-8") for f in files)
    assert first == f"To: {NUMBER}\nCoding: UCS-2, 1 SMS\n\n{TIGRINYA}\n"
    assert second == f"To: +46709876543\nCoding: GSM-7, 1 SMS\n\n{SWEDISH}\n"


def test_with_sms_url_the_connection_is_kannels(kannel):
    with _app(**kannel.settings()).app_context(), sms.connection() as connection:
        assert isinstance(connection, KannelConnection)
        connection.send(NUMBER, ARABIC)

    assert kannel.wait_for(1) == [Sms("Forum", NUMBER, ARABIC, parts=sms.segments(ARABIC))]


def test_fakesmsc_output_is_read_back_with_line_breaks_and_parts():
    output = (
        "2026-12-05 22:38:20 [22376] [0] DEBUG: Connecting to <127.0.0.1>\n"
        "2026-12-05 22:38:22 [22376] [0] DEBUG: Got message 1: <Forum +46701234567 ucs-2 %120%12%0B%12%1D>\n"
        "2026-12-05 22:38:22 [22376] [0] DEBUG: Got message 2: <Forum +46701234567 text Hej på dig>\n"
        "2026-12-05 22:38:22 [22376] [0] DEBUG: Got message 3: <rad två {€} & 100%>\n"
        "2026-12-05 22:38:51 [22376] [0] DEBUG: Got message 4: <Forum +46701234567 udh %05%00%03%02%02%01 data "
        "Hej+p%C3%A5+>\n"
        "2026-12-05 22:38:51 [22376] [0] DEBUG: Got message 5: <Forum +46701234567 udh %05%00%03%02%02%02 data "
        "dig+%E2%82%AC>\n"
    ).encode()

    assert parse_fakesmsc(output) == [
        Sms("Forum", NUMBER, "ሰላም"),
        Sms("Forum", NUMBER, "Hej på dig\nrad två {€} & 100%"),
        Sms("Forum", NUMBER, "Hej på dig €", parts=2),
    ]
