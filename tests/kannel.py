"""A real Kannel for tests and benchmarks: ``bearerbox`` and ``smsbox`` from Debian's package, with Kannel's own
``fakesmsc`` as the operator. fakesmsc prints every SMS it receives; :meth:`Kannel.received` reads them back
decoded, concatenated parts put together again.

Everything runs on free loopback ports with a configuration of its own in a temporary folder, so a system
Kannel (Debian's package may start one on 13000/13001/13013) is neither needed nor disturbed.

    kannel = Kannel(tmp_folder).start()
    ... GET kannel.sendsms_url?username=kannel.username&password=kannel.password&to=...&text=...
    kannel.wait_for(1)  # -> [Sms(sender="Forum", to="+46701234567", text="Hej", parts=1)]
    kannel.stop()

What fakesmsc shows, and so what this module reads (Kannel 1.4.5):

- ``Got message N: <from to text Hej på dig>``: GSM text, raw UTF-8 as Kannel keeps it. A line break in it
  ends fakesmsc's line: the rest comes as lines of their own (``Got message N+1: <rad två>``), which are put
  back into the message they belong to.
- ``<from to ucs-2 %12%30...>``: UCS-2 (``coding=2``), big-endian, URL-encoded (``+`` a space byte).
- ``<from to udh %05%00%03%REF%TOTAL%SEQ data ...>``: one part of a concatenated SMS, URL-encoded, without its
  coding: the parts' bytes are read as UCS-2 when they hold control bytes (every text in our languages has a
  high byte below 0x20 in UCS-2: Latin, Cyrillic, Arabic, Ethiopic) or are not UTF-8, else as UTF-8.
"""

from __future__ import annotations

import http.client
import re
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlencode

from .pg import free_port

BEARERBOX = Path("/usr/sbin/bearerbox")
SMSBOX = Path("/usr/sbin/smsbox")
FAKESMSC = Path("/usr/lib/kannel/test/fakesmsc")


def installed() -> None:
    missing = [str(path) for path in (BEARERBOX, SMSBOX, FAKESMSC) if not path.exists()]
    assert not missing, (f"Kannel is not installed ({', '.join(missing)} missing): run scripts/install-test-deps.sh "
                         "(Debian packages kannel and kannel-extras)")


@dataclass(frozen=True)
class Sms:
    """One SMS as the operator got it: ``parts`` is the number of SMS it took (its segments)."""

    sender: str
    to: str
    text: str
    parts: int = 1


_LINE = re.compile(rb"Got message \d+: <(.*)>$")
_HEADER = re.compile(rb"(\S+) (\S+) (text|data|ucs-2|udh) (.*)$", re.DOTALL)
_UDH_BODY = re.compile(rb"(\S+) (?:text|data|ucs-2) (.*)$", re.DOTALL)


def _unquote(data: bytes) -> bytes:
    return unquote_to_bytes(data.replace(b"+", b" "))


def _guess_text(data: bytes) -> str:
    if any(byte < 0x20 and byte not in b"\n\r" for byte in data):
        return data.decode("utf-16-be")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-16-be")


def _concatenation(udh: bytes) -> tuple[int, int, int] | None:
    """(reference, total, sequence) from a user data header's concatenation element (8- or 16-bit reference)."""
    at, end = 1, 1 + udh[0] if udh else 0
    while at + 1 < end:
        element, length = udh[at], udh[at + 1]
        value = udh[at + 2:at + 2 + length]
        if element == 0x00 and length == 3:
            return value[0], value[1], value[2]
        if element == 0x08 and length == 4:
            return value[0] << 8 | value[1], value[2], value[3]
        at += 2 + length
    return None


def parse_fakesmsc(output: bytes) -> list[Sms]:
    """The whole messages in fakesmsc's output, in the order their last part arrived."""
    messages: list[Sms] = []
    parts: dict[tuple[bytes, bytes, int], dict[int, bytes]] = {}
    last_was_text = False
    for line in output.split(b"\n"):
        found = _LINE.search(line.rstrip(b"\r"))
        if not found:
            continue
        content = found.group(1)
        header = _HEADER.match(content)
        if header is None:
            if last_was_text and messages:  # the rest of a text that had a line break
                previous = messages[-1]
                messages[-1] = Sms(previous.sender, previous.to, f"{previous.text}\n{content.decode('utf-8', 'replace')}")
            continue
        sender, to, kind, body = header.groups()
        last_was_text = kind == b"text"
        if kind == b"text":
            text = body.decode("utf-8", "replace")
        elif kind == b"ucs-2":
            text = _unquote(body).decode("utf-16-be")
        elif kind == b"data":
            text = _guess_text(_unquote(body))
        else:
            udh_and_body = _UDH_BODY.match(body)
            assert udh_and_body, f"fakesmsc printed a part this module cannot read: {line!r}"
            udh, data = (_unquote(value) for value in udh_and_body.groups())
            concatenated = _concatenation(udh)
            if concatenated is None:
                messages.append(Sms(sender.decode(), to.decode(), _guess_text(data)))
                continue
            reference, total, sequence = concatenated
            got = parts.setdefault((sender, to, reference), {})
            got[sequence] = data
            if len(got) < total:
                continue
            del parts[(sender, to, reference)]
            text = _guess_text(b"".join(got[number] for number in sorted(got)))
            messages.append(Sms(sender.decode(), to.decode(), text, parts=total))
            continue
        messages.append(Sms(sender.decode(), to.decode(), text))
    return messages


def configuration(*, folder: Path, admin_port: int, smsbox_port: int, smsc_port: int, sendsms_port: int,
                  username: str, password: str, refused_number: str) -> str:
    """A minimal kannel.conf: a fake SMSC for fakesmsc, one sendsms user for the app. Groups must be separated
    by blank lines (bearerbox stops otherwise)."""
    return f"""\
group = core
admin-port = {admin_port}
admin-password = test-admin
admin-allow-ip = 127.0.0.1
smsbox-port = {smsbox_port}
box-allow-ip = 127.0.0.1
log-file = "{folder}/bearerbox.log"
log-level = 1

group = smsc
smsc = fake
smsc-id = fake
port = {smsc_port}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
sendsms-port = {sendsms_port}
log-file = "{folder}/smsbox.log"
log-level = 1

group = sendsms-user
username = {username}
password = {password}
max-messages = 10
concatenation = true
default-sender = Forum
black-list-regex = "^[+]?{refused_number}$"

group = sms-service
keyword = default
text = "ok"
"""


class Kannel:
    """bearerbox + smsbox + fakesmsc, stopped by their process ids. ``refused_to`` is a number Kannel refuses
    (``black-list-regex``: 400 "Number(s) has/have been denied by white- and/or black-lists."), while it
    accepts every other one."""

    username = "forum"
    password = "kannel-test-password"
    refused_to = "+46709999999"

    def __init__(self, folder: Path) -> None:
        installed()
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.admin_port, self.smsbox_port, self.smsc_port, self.sendsms_port = (free_port() for _ in range(4))
        self.admin_password = "test-admin"
        self.conf = self.folder / "kannel.conf"
        self.conf.write_text(configuration(  # a test may write another one before start()
            folder=self.folder, admin_port=self.admin_port, smsbox_port=self.smsbox_port, smsc_port=self.smsc_port,
            sendsms_port=self.sendsms_port, username=self.username, password=self.password,
            refused_number=self.refused_to.lstrip("+")))
        self.operator_output = self.folder / "fakesmsc.out"
        self._processes: dict[str, subprocess.Popen] = {}
        self._offset = 0  # where fakesmsc's output stood at the last clear()

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.sendsms_port}/cgi-bin/sendsms"

    def settings(self, sender: str = "Forum") -> dict[str, str]:
        """The app's settings for this Kannel: ``app.config.update(kannel.settings())``."""
        return {"SMS_URL": self.sendsms_url, "SMS_USERNAME": self.username, "SMS_PASSWORD": self.password,
                "SMS_FROM": sender}

    def ensure_running(self) -> None:
        """smsbox up again if a test stopped it (and failed before starting it)."""
        if "smsbox" not in self._processes:
            self.start_smsbox()

    def _start(self, name: str, *command: str) -> None:
        with (self.folder / f"{name}.out").open("ab") as output:
            self._processes[name] = subprocess.Popen(
                command, cwd=self.folder, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)  # a Ctrl-C in the terminal reaches pytest, which stops these in order

    def start(self) -> "Kannel":
        try:
            self._start("bearerbox", str(BEARERBOX), "-v", "2", str(self.conf))
            self._wait(lambda: self._status() is not None, "bearerbox's admin port")
            self.start_smsbox()
            with self.operator_output.open("ab") as output:
                # -m 0: fakesmsc sends nothing itself; it only prints what it gets. stdout and stderr both:
                # the "Got message" lines are its debug log.
                self._processes["fakesmsc"] = subprocess.Popen(
                    [str(FAKESMSC), "-H", "127.0.0.1", "-r", str(self.smsc_port), "-i", "1000", "-m", "0",
                     "1 2 text x"], cwd=self.folder, stdout=output, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL, start_new_session=True)
            self._wait(lambda: "(online" in (self._status() or ""), "fakesmsc connected to bearerbox")
        except BaseException:
            self.stop()
            raise
        return self

    def start_smsbox(self) -> None:
        """Start smsbox (again) and wait until bearerbox has it and sendsms answers."""
        self._start("smsbox", str(SMSBOX), "-v", "2", str(self.conf))
        self._wait(lambda: re.search(r"smsbox:.*on-line", self._status() or "") and self._sendsms_answers(),
                   "smsbox connected and sendsms answering")

    def stop_smsbox(self) -> None:
        """Kannel down as the app sees it: nothing listens on the sendsms port until :meth:`start_smsbox`."""
        self._stop("smsbox")
        self._wait(lambda: not self._sendsms_answers(), "the sendsms port closed")

    def _stop(self, name: str) -> None:
        process = self._processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            # smsbox waits on SIGTERM for the HTTP connections still open to it (an earlier test's kept-alive
            # one, in the session's Kannel): it had 15 s, which one test in the whole suite spent. Down is down.
            process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop(self) -> None:
        for name in ("smsbox", "fakesmsc", "bearerbox"):
            self._stop(name)

    def _status(self) -> str | None:
        return self._get(self.admin_port, f"/status.txt?password={self.admin_password}")

    def _sendsms_answers(self) -> bool:
        return self._get(self.sendsms_port, "/cgi-bin/sendsms") is not None  # any answer (403 here) will do

    @staticmethod
    def _get(port: int, path: str) -> str | None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", path)
            return connection.getresponse().read().decode("utf-8", "replace")
        except OSError:
            return None
        finally:
            connection.close()

    def _wait(self, condition, what: str, seconds: float = 30) -> None:  # noqa: ANN001
        deadline = time.monotonic() + seconds
        while not condition():
            for name, process in self._processes.items():
                assert process.poll() is None, f"{name} stopped ({process.returncode}) while waiting for {what}:\n{self.logs()}"
            assert time.monotonic() < deadline, f"still waiting after {seconds} s for {what}:\n{self.logs()}"
            time.sleep(0.05)

    def logs(self) -> str:
        """The tail of each part's output, for a failure message."""
        tails = []
        for log in sorted(self.folder.glob("*.out")) + sorted(self.folder.glob("*.log")):
            lines = log.read_text(errors="replace").splitlines()[-15:]
            tails.append(f"--- {log.name}\n" + "\n".join(lines))
        return "\n".join(tails)

    def sendsms(self, **parameters: str) -> tuple[int, str]:
        """One GET to sendsms with this user's credentials (unless given): (HTTP status, Kannel's answer)."""
        query = urlencode({"username": self.username, "password": self.password, **parameters})
        connection = http.client.HTTPConnection("127.0.0.1", self.sendsms_port, timeout=30)
        try:
            connection.request("GET", f"/cgi-bin/sendsms?{query}")
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def received(self) -> list[Sms]:
        """Every whole SMS the operator got since the last :meth:`clear`, decoded."""
        if not self.operator_output.exists():
            return []
        with self.operator_output.open("rb") as output:
            output.seek(self._offset)
            return parse_fakesmsc(output.read())

    def clear(self) -> None:
        """Forget what was received so far (the fixture does this before each test)."""
        self._offset = self.operator_output.stat().st_size if self.operator_output.exists() else 0

    def wait_for(self, count: int, timeout: float = 30) -> list[Sms]:
        """Wait until at least ``count`` SMS have arrived since :meth:`clear`; return them all."""
        self._wait(lambda: len(self.received()) >= count,
                   f"{count} SMS at fakesmsc (got {len(self.received())}: {self.received()})", timeout)
        return self.received()
