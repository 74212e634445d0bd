"""Rules of feedback and the annual report text: when feedback is open, one answer per link,
the thank-you email the day after a forum. Every write here records an audit event."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import force_locale, lazy_ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..core import audit, signed_links
from ..core.audit import AuditEvent
from ..core.database import atomic
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.models_base import utcnow
from ..core.timeutil import city_today, local_to_utc
from ..i18n.content import localize
from ..i18n.formatting import format_date
from ..mail import compose, outbox
from ..planning.queries import HELD_STATUSES
from ..recommendations.queries import took_part
from ..registrations import queries as registrations
from ..web.links import external_url
from .models import (
    SCORED,
    AnnualReport,
    Channel,
    Credential,
    FeedbackAnswer,
    FeedbackCode,
    FeedbackInvitation,
    FeedbackReceipt,
)
from .queries import due_thank_yous

if TYPE_CHECKING:
    from ..planning.models import Forum
    from ..registrations.models import Registration

log = logging.getLogger(__name__)


class FeedbackError(DomainError):
    """A rule of this domain refused; see ``errors.DomainError``."""


class AlreadyAnswered(FeedbackError):
    def __init__(self) -> None:
        super().__init__(_l("Thank you, an answer has already been given with this link. Each person can "
                            "answer once."))


class CredentialNeeded(FeedbackError):
    def __init__(self) -> None:
        super().__init__(_l("To count, an answer needs your personal link (from our email or text message) or the "
                            "code on a slip you got at the forum. Type the code below and send again: your answers "
                            "are kept."))


class CodeNotValid(FeedbackError):
    def __init__(self) -> None:
        super().__init__(_l("This code does not work for this forum, or it has been used already. Check the code "
                            "on your slip: each code counts once."))


class NothingAnswered(FeedbackError):
    def __init__(self) -> None:
        super().__init__(_l("Nothing is answered. Choose at least one answer or write a comment."))


class TooManySlips(FeedbackError):
    def __init__(self, most: int) -> None:
        super().__init__(lazy_ngettext("A forum can have at most %(num)d code, one for each person who can take part.",
                                       "A forum can have at most %(num)d codes, one for each person who can take part.",
                                       most))


class FeedbackClosed(FeedbackError):
    def __init__(self) -> None:
        super().__init__(_l("Feedback for this forum is closed."))


# --- when feedback is open ------------------------------------------------------------------

def held_at(forum: Forum) -> datetime | None:
    """When staff marked the forum held (its audit event), else its end; None if not held."""
    if forum.status not in HELD_STATUSES:
        return None
    marked = db.session.scalar(select(AuditEvent.at).where(
        AuditEvent.object_type == "Forum", AuditEvent.object_id == forum.id, AuditEvent.action == "held")
        .order_by(AuditEvent.at).limit(1))
    return marked or forum.ends_at


def closes_at(forum: Forum) -> datetime | None:
    start = held_at(forum)
    return start + timedelta(days=current_app.config["FEEDBACK_DAYS"]) if start else None


def is_open(forum: Forum, now: datetime | None = None) -> bool:
    end = closes_at(forum)
    return end is not None and (now or utcnow()) < end


# --- the link in the thank-you email --------------------------------------------------------

def _key_for(token_hash: str) -> str:
    """A per-registration key derived from what we store of the manage token; it names nobody."""
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(secret, f"feedback:{token_hash}".encode(), hashlib.sha256).hexdigest()[:32]


def feedback_token(registration: Registration) -> str:
    return signed_links.make("feedback", [registration.forum_id, _key_for(registration.token_hash)])


def _short_mac(registration_id: int, key: str) -> str:
    """16 characters (96 bits of HMAC-SHA256): enough that nobody guesses one, short enough for an SMS."""
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    mac = hmac.new(secret, f"feedback-short:{registration_id}:{key}".encode(), hashlib.sha256).digest()[:12]
    return base64.urlsafe_b64encode(mac).decode()


def short_feedback_code(registration: Registration) -> str:
    """What the SMS's short link (``/r/f/<code>``) carries: the registration's id and a MAC of its answer key,
    about 20 characters where the email's signed token takes 90. It opens the email's link (the same key,
    so the same one answer); it names the registration, which must still have its private link then."""
    return f"{registration.id}.{_short_mac(registration.id, _key_for(registration.token_hash))}"


def feedback_link_of_short_code(code: str) -> tuple[Registration, str] | None:
    """(the registration, its feedback token) for a short code made by :func:`short_feedback_code`, or None
    when the code is not ours, or the registration is gone, erased or has another private link now."""
    number, _dot, mac = code.partition(".")
    if not number.isdigit() or len(number) > 10 or len(mac) != 16:
        return None
    registration = registrations.registration(int(number))
    if registration is None or registration.token_hash is None:
        return None
    if not hmac.compare_digest(_short_mac(registration.id, _key_for(registration.token_hash)), mac):
        return None
    return registration, feedback_token(registration)


def key_from_link(forum_id: int, token: str) -> str | None:
    """The answer key a link carries: a feedback token from the email, or the registration's own
    manage token (both give the same key, so the two links share one answer). None if invalid."""
    if not token:
        return None
    value = signed_links.read("feedback", token, kind=list)
    if value and len(value) == 2 and value[0] == forum_id and isinstance(value[1], str):
        return value[1]
    if len(token) <= 100:
        registration = registrations.by_manage_token(token)
        if registration is not None and registration.forum_id == forum_id:
            return _key_for(registration.token_hash)
    return None


def _receipt_hash(key: str) -> str:
    return hashlib.sha256(f"receipt:{key}".encode()).hexdigest()


def has_answered(forum_id: int, key: str) -> bool:
    return db.session.scalar(select(FeedbackReceipt.forum_id).where(
        FeedbackReceipt.forum_id == forum_id, FeedbackReceipt.key_hash == _receipt_hash(key))) is not None


# --- answers --------------------------------------------------------------------------------

def _clean(answers: dict) -> dict:
    values = {name: answers.get(name) for name in SCORED}
    for name, value in values.items():
        if value is not None and not (isinstance(value, int) and 1 <= value <= 5):
            raise FeedbackError(_l("Choose one of the answers."))
    comment = (answers.get("comment") or "").strip()[:2000]
    if all(value is None for value in values.values()) and not comment:
        raise NothingAnswered()  # a blank form, on paper or online, is no answer
    return {**values, "comment": comment}


# --- one-time codes on printed slips ----------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off paper and typed on a phone
CODE_LENGTH = 8


def normalize_code(code: str) -> str:
    """What a person typed, as we compare it: capitals, without spaces and dashes ("abcd-efgh" = "ABCDEFGH")."""
    return re.sub(r"[^A-Z0-9]", "", (code or "").upper())[:40]


def show_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _code_hash(forum_id: int, code: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(secret, f"feedback-code:{forum_id}:{normalize_code(code)}".encode(), hashlib.sha256).hexdigest()


def most_slips(forum: Forum) -> int:
    """A forum's codes are capped at its capacity and the people who took part, whichever is more: enough for
    everyone there, not for stuffing."""
    counted = took_part([forum.id]).get(forum.id)
    return max(forum.capacity, counted.number if counted else 0)


@atomic()
def make_slips(forum: Forum, count: int) -> list[str]:
    """New one-time codes for ``forum``, printed once (only their hashes are kept), audited."""
    existing = db.session.scalar(select(func.count()).select_from(FeedbackCode)
                                 .where(FeedbackCode.forum_id == forum.id)) or 0
    most = most_slips(forum)
    if count < 1 or existing + count > most:
        raise TooManySlips(most)
    codes = ["".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(count)]
    db.session.add_all(FeedbackCode(forum_id=forum.id, code_hash=_code_hash(forum.id, c)) for c in codes)
    audit.record("feedback_slips", forum, f"{count} feedback codes printed", changes={"codes": [existing, existing + count]})
    return codes


def code_is_unused(forum_id: int, code: str) -> bool:
    return db.session.scalar(select(FeedbackCode.id).where(
        FeedbackCode.forum_id == forum_id, FeedbackCode.code_hash == _code_hash(forum_id, code),
        FeedbackCode.used.is_(False))) is not None


def _spend_code(forum_id: int, code: str) -> None:
    """Mark the code used in one statement: of two answers sent with it at once, one counts."""
    spent = db.session.execute(update(FeedbackCode).where(
        FeedbackCode.forum_id == forum_id, FeedbackCode.code_hash == _code_hash(forum_id, code),
        FeedbackCode.used.is_(False)).values(used=True))
    if spent.rowcount != 1:
        raise CodeNotValid()


@atomic()  # a refused answer keeps nothing: no receipt, no spent code
def submit(forum: Forum, answers: dict, *, channel: Channel, key: str | None = None,
           code: str | None = None) -> FeedbackAnswer:
    """Save one anonymous answer, which counts only with a one-time credential: ``key`` (from a personal
    link; a second answer with it is refused) or ``code`` (from a printed slip; used once). Without either it
    is refused, and nothing is saved. The receipt, the spent code and the answer are separate rows with
    nothing that links them."""
    values = _clean(answers)
    if channel is not Channel.PAPER and not is_open(forum):
        raise FeedbackClosed()
    if key:
        db.session.add(FeedbackReceipt(forum_id=forum.id, key_hash=_receipt_hash(key)))
        try:
            db.session.flush()
        except IntegrityError:
            raise AlreadyAnswered() from None
        credential = Credential.LINK
    elif normalize_code(code or ""):
        _spend_code(forum.id, code)
        credential = Credential.CODE
    else:
        raise CredentialNeeded()
    answer = FeedbackAnswer(forum_id=forum.id, channel=channel, submitted_on=city_today(), credential=credential,
                            **values)
    db.session.add(answer)
    db.session.flush()
    # The audit event names the forum, not the answer: the log must not tell who wrote what.
    audit.record("feedback_paper" if channel is Channel.PAPER else "feedback", forum)
    return answer


# --- the annual report's text ---------------------------------------------------------------

def report_text(year: int) -> AnnualReport | None:
    return db.session.scalar(select(AnnualReport).where(AnnualReport.year == year))


@atomic()
def save_report_text(year: int, text: dict) -> AnnualReport:
    report = report_text(year)
    if report is None:
        report = AnnualReport(year=year)
        db.session.add(report)
    report.text = dict(text)
    audit.record("updated", report, f"annual report {year}")
    return report


# --- the thank-you email --------------------------------------------------------------------

def _due_registrations() -> list[int]:
    """Participants who came, with an email address, of forums that ended before today (city
    time) and whose feedback is still open; not yet thanked."""
    earliest = utcnow() - timedelta(days=current_app.config["FEEDBACK_DAYS"])
    return due_thank_yous(ended_after=earliest, ended_before=local_to_utc(datetime.combine(city_today(), time.min)))


THANK_YOU = "impact.thank_you"


def _thank_you_subject(forum, lang: str) -> str:  # noqa: ANN001
    with force_locale(lang):
        return _("Thank you for coming: %(hook)s", hook=localize(forum.hook, lang).text)


def send_thank_you(registration: Registration) -> None:
    """By email, by SMS to a participant who gave only a mobile number, or both as they asked."""
    for channel, address in registrations.contacts(registration):
        outbox.queue(address, _thank_you_subject(registration.forum, registration.language), THANK_YOU,
                     channel=channel, registration=registration.id)


@outbox.writer(THANK_YOU)
def write_thank_you(recipe: dict):  # noqa: ANN201 - an email.message.Message, or None
    """Nothing for a registration erased meanwhile (or no longer reached on the recipe's channel)."""
    registration = registrations.registration(recipe["registration"])
    channels = [channel for channel, _address in registrations.contacts(registration)] if registration else []
    if recipe["channel"] not in channels or registration.token_hash is None:
        return None
    lang = registration.language
    forum = registration.forum
    if recipe["channel"] == "sms":  # the short link: the long one takes a second or third segment
        link = external_url("impact_short.feedback", code=short_feedback_code(registration))
        with force_locale(lang):
            return _("Thank you for coming to the migrant forum. Tell us what it was like: %(link)s", link=link)
    url = external_url("impact.feedback", lang=lang, forum_id=forum.id, key=feedback_token(registration))
    subject = _thank_you_subject(forum, lang)
    with force_locale(lang):
        paragraphs = [
            _("Thank you for taking part in the migrant forum. What you said will be used in the "
              "recommendations to the city."),
            _("Please tell us what it was like. It takes two minutes and is anonymous: we do not store who "
              "answered what. You can answer until %(date)s.",
              date=_format_day(closes_at(forum))),
        ]
        link = (url, _("Answer the questions"))
    return compose.build_message(to=registration.email, subject=subject, template="email/message", lang=lang,
                                 context={"title": subject, "paragraphs": paragraphs, "link": link})


def _format_day(moment: datetime | None) -> str:
    return format_date(moment, "long") if moment else ""


def send_thank_you_mails() -> int:
    """The scheduled job: each participant is thanked once, the day after the forum.

    The claim (a row per registration, unique) and the message go into one transaction: the outbox
    sends it after the commit, and a second scheduler fails on the claim and sends nothing.
    """
    candidates = _due_registrations()
    sent = 0
    for registration_id in candidates:
        try:
            with atomic(write=True):
                db.session.add(FeedbackInvitation(registration_id=registration_id))
                try:
                    db.session.flush()
                except IntegrityError:
                    raise _ClaimedElsewhere() from None
                send_thank_you(registrations.registration(registration_id))
        except _ClaimedElsewhere:
            continue  # another scheduler took it
        except Exception:  # noqa: BLE001 - any failure: no claim is kept, a later run tries again
            log.exception("thank-you mail for registration %s failed", registration_id)
            continue
        sent += 1
    return sent


class _ClaimedElsewhere(Exception):
    """Another scheduler has thanked this participant: the claim's unique row is taken."""


# --- access and erasure by address (see personal_data.py) -------------------------------------

ANONYMOUS_NOTE = ("Feedback answers are anonymous by design: nothing links an answer to the person who gave it, "
                  "so answers cannot be shown or erased per person. What is kept is only whether the private "
                  "link of a registration was used to answer (so it cannot answer twice) and when the "
                  "thank-you email was sent.")


def export_by_address(address) -> dict | None:  # noqa: ANN001 - personal_data.Address
    linked = []
    for registration in registrations.registrations_of(address):
        invitation = db.session.get(FeedbackInvitation, registration.id)
        answered = bool(registration.token_hash) and has_answered(registration.forum_id,
                                                                  _key_for(registration.token_hash))
        if invitation is not None or answered:
            linked.append({"registration_id": registration.id, "forum_id": registration.forum_id,
                           "answered_with_the_link": answered,
                           "thank_you_email_sent_at": invitation.claimed_at.isoformat() if invitation else None})
    return {"note": ANONYMOUS_NOTE, "linked_to_registrations": linked} if linked else None


def erase_by_address(address) -> dict:  # noqa: ANN001 - personal_data.Address
    """Runs before registrations' eraser (the registry goes by name) while the manage link's hash still
    exists: the receipt derived from it goes. The anonymous answer stays; the claim of the thank-you
    email goes with a registration that is deleted, or stays, naming nobody, with one anonymised."""
    receipts = 0
    for registration in registrations.registrations_of(address):
        if registration.token_hash:
            receipt = db.session.get(FeedbackReceipt, (registration.forum_id,
                                                       _receipt_hash(_key_for(registration.token_hash))))
            if receipt is not None:
                db.session.delete(receipt)
                receipts += 1
    return {"receipts": receipts}
