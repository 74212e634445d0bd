"""Carrying SMS: Kannel's ``sendsms`` over one kept-alive HTTP connection for many messages (or, with no
``SMS_URL``, a folder of UTF-8 text files standing in for it), the number a text goes to, what a text costs in
segments, and what a failure means (try again later, or not).

Kannel (the open-source SMS gateway) speaks SMPP to the operator; the app only calls its HTTP interface, so
nothing here is specific to one operator. Kannel 1.4.5's ``sendsms`` takes a GET with query parameters (a
form-encoded POST answers "400 Invalid content-type"). Text that GSM 03.38 cannot carry goes as UCS-2
(``coding=2``); both are handed over as UTF-8 (``charset=UTF-8``) and Kannel converts.

The shape is the one of :mod:`.transport`: ``with connection() as sms: sms.send(to, text)``, then ``quit()``.
"""

from __future__ import annotations

import http.client
import math
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import phonenumbers
from flask import current_app

from ..core.addresses import normalize_phone
from ..core.storage import write_whole
from .transport import WorkWhileServerAnswersFailed, run_work

# GSM 03.38: the basic character set (without 0x1B, the escape to the extension table) and the extension table,
# whose characters take two septets (the escape and the character).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

# What one SMS holds: alone, and as a part of a longer one (whose header takes 6 octets).
GSM7_SINGLE, GSM7_PART = 160, 153  # septets
UCS2_SINGLE, UCS2_PART = 70, 67  # UTF-16 code units

_MOBILE = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def phone_for_sms(raw: str | None, country_code: str = "46") -> str | None:
    """The number in E.164 (``+46701234567``) for ``070 123 45 67``, ``0046 70-123 45 67`` or ``+46 70 ...``;
    ``None`` when it cannot be a mobile number (too short, a landline, no such number plan).

    A number without its country is read as one of ``country_code``'s. Google's numbering plans
    (``phonenumbers``) know which ranges are mobile in every country, which a rule of our own would not."""
    digits = normalize_phone(raw)
    if not digits.strip("+"):
        return None
    region = phonenumbers.region_code_for_country_code(int(country_code) if country_code.isdigit() else 0)
    try:
        number = phonenumbers.parse(digits, region if region != phonenumbers.UNKNOWN_REGION else None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in _MOBILE:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_gsm7(text: str) -> bool:
    """True when GSM 03.38's default alphabet (with its extension table) can carry every character."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def _gsm7_parts(septets: list[int]) -> int:
    """Parts filled in order, an extension character's two septets never cut in two (as Kannel splits)."""
    if sum(septets) <= GSM7_SINGLE:
        return 1
    count, used = 1, 0
    for width in septets:
        if used + width > GSM7_PART:
            count, used = count + 1, 0
        used += width
    return count


def segments(text: str) -> int:
    """The number of SMS the operator sends (and charges) for ``text``, counted as Kannel splits it: GSM-7 holds
    160 septets, or 153 a part when concatenated, an extension character (``€``, ``{`` ...) taking two that
    stay in one part; UCS-2 holds 70 UTF-16 code units, or 67 a part, a character outside the Basic
    Multilingual Plane (an emoji) taking two, which Kannel may put in two parts (the phone joins the parts
    before it reads them). An empty text is one SMS."""
    if is_gsm7(text):
        return _gsm7_parts([2 if ch in GSM7_EXTENSION else 1 for ch in text])
    units = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
    return 1 if units <= UCS2_SINGLE else math.ceil(units / UCS2_PART)


class SmsError(Exception):
    """Kannel did not take the SMS; ``answer`` is its own text (or what went wrong on the way), ``status`` the
    HTTP status when there was an answer."""

    def __init__(self, answer: str, status: int | None = None) -> None:
        super().__init__(answer)
        self.answer = answer
        self.status = status


class SmsTemporary(SmsError):
    """Worth trying again later: no connection, a timeout, or Kannel's 5xx (503 "Message queue full")."""


class SmsRefused(SmsError):
    """Kannel refused this SMS with a 4xx answer (403 "Authorization failed for sendsms", 400 "Number(s) has/have
    been denied ..."): the same request would be refused again."""


def is_temporary(error: Exception) -> bool:
    """A failure worth trying again later (a full disk for the folder too); any other fails the SMS."""
    return isinstance(error, (SmsTemporary, OSError))


def describe(error: Exception) -> str:
    """Kannel's own answer where there is one (``403 Authorization failed for sendsms``), else the error."""
    if isinstance(error, SmsError):
        text = f"{error.status} {error.answer}" if error.status else error.answer
    else:
        text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return text[:500]


# Delivery reports: Kannel calls SMS_DLR_URL back for these kinds (dlr-mask bits), the SMS named by the reference
# the sender gave. The keys are Kannel's %d; the values are what the outbox stores (not text a person reads).
DELIVERY_REPORT_KINDS = {1: "delivered", 2: "undelivered", 4: "buffered", 8: "operator_accepted",
                         16: "operator_rejected"}
DLR_MASK = 1 | 2 | 8 | 16  # not "buffered": it says nothing an operator of the forum could act on


def delivery_report_url(base: str, reference: str) -> str:
    """The ``dlr-url`` Kannel calls for one SMS: ``base`` with ``sms=<reference>``, the kind (``%d``, see
    :data:`DELIVERY_REPORT_KINDS`) and the operator's answer (``%A``), which Kannel fills in."""
    return f"{base}{'&' if '?' in base else '?'}{urlencode({'sms': reference})}&type=%d&answer=%A"


def _parameters(to: str, text: str) -> dict[str, str]:
    return {"to": to, "text": text, "coding": "0" if is_gsm7(text) else "2"}


class KannelConnection:
    """One kept-alive HTTP connection to Kannel's ``sendsms`` for many SMS (opened on the first).

    ``send`` returns Kannel's answer (``0: Accepted for delivery``, or ``3: Queued for later delivery`` when the
    operator is away: Kannel keeps it) and raises :class:`SmsTemporary` or :class:`SmsRefused`. When Kannel has
    closed the idle connection, the request is made once more on a new one: it had not reached Kannel.
    With ``dlr_url`` (``SMS_DLR_URL``), an SMS sent with a ``reference`` asks for delivery reports there."""

    def __init__(self, url: str, username: str, password: str, sender: str = "", *, dlr_url: str = "",
                 timeout: float = 30) -> None:
        address = urlsplit(url)
        if address.scheme not in ("http", "https") or not address.hostname:
            raise ValueError(f"SMS_URL must be Kannel's sendsms address (http://host:port/cgi-bin/sendsms), not {url!r}")
        self._connection_class = http.client.HTTPSConnection if address.scheme == "https" else http.client.HTTPConnection
        self._host, self._port, self._timeout = address.hostname, address.port, timeout
        self._path = address.path or "/cgi-bin/sendsms"
        # The same for every SMS: encoded once (quoting the query took a fifth of the sender's time a message).
        self._fixed = urlencode({"username": username, "password": password, **({"from": sender} if sender else {}),
                                 "charset": "UTF-8"})
        self._dlr_url = dlr_url
        self._http: http.client.HTTPConnection | None = None
        self._reused = False  # the open connection has carried an SMS already (Kannel may have closed it since)

    def send(self, to: str, text: str, while_server_answers=None, *,  # noqa: ANN001
             reference: str | None = None) -> str:
        """Send one SMS to ``to`` (E.164, see :func:`phone_for_sms`). ``while_server_answers`` (the previous
        SMS's mark) runs exactly once, whatever happens: while Kannel answers this request, or before this
        raises; if it fails, Kannel's answer is still read and then :class:`WorkWhileServerAnswersFailed`
        raised (the SMS went). ``reference`` (the outbox row's id) names the SMS in its delivery reports."""
        parameters = _parameters(to, text)
        if self._dlr_url and reference is not None:
            parameters.update({"dlr-mask": str(DLR_MASK), "dlr-url": delivery_report_url(self._dlr_url, reference)})
        request = f"{self._path}?{self._fixed}&{urlencode(parameters)}"
        work = [while_server_answers]

        def work_once() -> None:
            if work[0] is not None:
                mark, work[0] = work[0], None
                run_work(mark)

        try:
            status, answer = self._round_trip(request, work_once)
        finally:
            work_once()
        if 200 <= status < 300:
            return answer
        if 400 <= status < 500:
            raise SmsRefused(answer, status)
        raise SmsTemporary(answer, status)

    def _round_trip(self, request: str, work_once) -> tuple[int, str]:  # noqa: ANN001
        while True:
            if self._http is None:
                self._http = self._connection_class(self._host, self._port, timeout=self._timeout)
                self._reused = False
            reused = self._reused
            try:
                self._http.request("GET", request)
                try:
                    work_once()
                finally:
                    response = self._http.getresponse()  # read even when the work failed: the connection stays in step
                    answer = response.read().decode("utf-8", "replace").strip()
                self._reused = True
                return response.status, answer
            except WorkWhileServerAnswersFailed:
                raise
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                self.quit()
                if not reused:
                    raise SmsTemporary(describe(error)) from error
                # Kannel closed the connection while it was idle; the request had not reached it: once more
            except (OSError, http.client.HTTPException) as error:
                self.quit()
                raise SmsTemporary(describe(error)) from error

    def quit(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None


class SmsFolder:
    """Stands in for Kannel when no ``SMS_URL`` is configured: one UTF-8 text file an SMS, the number and the
    coding first, then a blank line and the text as the phone would show it."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def send(self, to: str, text: str, while_server_answers=None, *,  # noqa: ANN001
             reference: str | None = None) -> str:  # noqa: ARG002 - a file gets no delivery report
        """Write the SMS; returns the file's name (where Kannel would answer "Accepted")."""
        if while_server_answers is not None:  # no server here: the work runs first
            run_work(while_server_answers)
        coding = "GSM-7" if is_gsm7(text) else "UCS-2"
        name = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}.txt"
        content = f"To: {to}\nCoding: {coding}, {segments(text)} SMS\n\n{text}\n"
        write_whole(self.folder / name, content.encode("utf-8"), sync=False)  # never a cut-off file on a full disk
        return name

    def quit(self) -> None:
        pass


@contextmanager
def connection():
    """One connection for many SMS: Kannel when ``SMS_URL`` is set, else the folder ``SMS_OUTBOX``."""
    config = current_app.config
    if config["SMS_URL"]:
        client = KannelConnection(config["SMS_URL"], config["SMS_USERNAME"], config["SMS_PASSWORD"], config["SMS_FROM"],
                                  dlr_url=config["SMS_DLR_URL"])
    else:
        client = SmsFolder(config["SMS_OUTBOX"])
    try:
        yield client
    finally:
        client.quit()
