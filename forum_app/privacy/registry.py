"""What the platform holds about one email address or phone number, and its erasure: a registry.

A data protection request reaches the office by email or phone: "what do you hold about me?" or
"erase me". No single module may import every domain (see docs/architecture.md, "Layers"), so each
domain registers, from its ``init_app``, an *exporter* and an *eraser* for what it keeps::

    personal_data.register("newsletter", export=export_subscriber, erase=erase_subscriber)

An exporter gets an :class:`Address` and returns JSON-ready data (``None`` or empty when it holds
nothing). An eraser gets the same and removes or anonymises the rows in the current session without
committing, and returns ``{what: count}``; the caller (:func:`erase`) commits once, so an erasure across
all domains happens in one transaction or not at all. Every export and erasure is kept as a
:class:`PrivacyRequest` row (kind, time, by whom, a SHA-256 of the normalised address, the counts, never
the data) and audited through it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import audit
from ..core.addresses import normalize_email, normalize_phone
from ..core.database import atomic, begin_write
from ..core.extensions import db
from ..core.models_base import UTCDateTime, utcnow

FORMAT = "forum-personal-data/1"


@dataclass(frozen=True)
class Address:
    """An email address or a phone number as the office received it, normalised."""

    email: str = ""
    phone: str = ""

    @classmethod
    def parse(cls, text: str) -> "Address":
        """``name@example.org`` is an email address; anything else with at least six digits a phone number.
        Raises ValueError for anything else."""
        text = (text or "").strip()
        if "@" in text:
            email = normalize_email(text)
            local, _at, domain = email.partition("@")
            if local and "." in domain and " " not in email and len(email) <= 254:
                return cls(email=email)
            raise ValueError("not an email address")
        phone = normalize_phone(text)
        if sum(ch.isdigit() for ch in phone) >= 6 and len(phone) <= 50:
            return cls(phone=phone)
        raise ValueError("neither an email address nor a phone number")

    @property
    def value(self) -> str:
        return self.email or self.phone

    @property
    def kind(self) -> str:
        return "email" if self.email else "phone"

    @property
    def digest(self) -> str:
        return hashlib.sha256(f"{self.kind}:{self.value}".encode()).hexdigest()


@dataclass(frozen=True)
class _Entry:
    name: str
    export: Callable[[Address], object]
    erase: Callable[[Address], dict]


_registry: dict[str, _Entry] = {}


def register(name: str, *, export: Callable[[Address], object], erase: Callable[[Address], dict]) -> None:
    """Add (or, on a second app in the same process, replace) a domain's exporter and eraser."""
    _registry[name] = _Entry(name, export, erase)


def registered() -> list[str]:
    return sorted(_registry)


class PrivacyRequest(db.Model):
    """The office's register of data protection requests: what was asked, when, by whom. Holds a hash
    of the address (to find a repeated request), never the address or the data."""

    __tablename__ = "privacy_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "export", "erase" or "self_export" (the manage link)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    via: Mapped[str] = mapped_column(String(20), default="admin")  # "admin", "cli" or "manage_link"
    address_hash: Mapped[str] = mapped_column(String(64), index=True)
    counts: Mapped[dict | None] = mapped_column(JSON())

    user = relationship("User", lazy="joined")


def _counts(data: dict) -> dict:
    counts = {}
    for name, value in data.items():
        if isinstance(value, list):
            counts[name] = len(value)
        elif value:
            counts[name] = 1
    return counts


def collect(address: Address) -> dict:
    """Everything each domain holds about the address, by domain; domains that hold nothing are left out."""
    data = {}
    for name in registered():
        value = _registry[name].export(address)
        if value:
            data[name] = value
    return data


@atomic()
def export(address: Address, *, via: str = "admin", user_id: int | None = None) -> dict:
    """The export document, and a :class:`PrivacyRequest` with its audit event, committed."""
    data = collect(address)
    request = PrivacyRequest(kind="export", via=via, user_id=user_id, address_hash=address.digest,
                             counts=_counts(data))
    db.session.add(request)
    audit.record("exported", request, f"personal data by {address.kind} ({via})", user_id=user_id,
                 changes={"counts": [None, request.counts]})
    return document(address, data)


def document(address: Address, data: dict) -> dict:
    return {"format": FORMAT, "address": address.value, "made_at": utcnow().isoformat(), "data": data}


def erase(address: Address, *, via: str = "admin", user_id: int | None = None) -> dict:
    """Remove or anonymise what every domain holds, in one transaction; returns the counts."""
    counts: dict[str, int] = {}
    begin_write()  # one write transaction from the start: every domain's part is saved together or not at all
    with atomic():
        for name in registered():
            for what, number in (_registry[name].erase(address) or {}).items():
                if number:
                    counts[f"{name}.{what}"] = counts.get(f"{name}.{what}", 0) + number
        request = PrivacyRequest(kind="erase", via=via, user_id=user_id, address_hash=address.digest,
                                 counts=counts)
        db.session.add(request)
        audit.record("erased", request, f"personal data by {address.kind} ({via})", user_id=user_id,
                     changes={"counts": [None, counts]})
    return counts


@atomic()
def record_self_export(address_hash: str, counts: dict) -> PrivacyRequest:
    """A resident downloaded their own registration through the manage link: kept in the register too."""
    request = PrivacyRequest(kind="self_export", via="manage_link", address_hash=address_hash, counts=counts)
    db.session.add(request)
    audit.record("exported", request, "own registration through the manage link", user_id=None,
                 changes={"counts": [None, counts]})
    return request


# --- what the shared core itself holds: mentions in the audit log (the outbox registers its own) ---

def _audit_mentions(address: Address) -> list[audit.AuditEvent]:
    return list(db.session.scalars(select(audit.AuditEvent).where(
        audit.AuditEvent.summary.contains(address.value, autoescape=True)).order_by(audit.AuditEvent.id)))


def _export_audit(address: Address) -> list[dict]:
    return [{"at": event.at.isoformat(), "action": event.action, "object": event.object_type}
            for event in _audit_mentions(address)]


def _erase_audit(address: Address) -> dict:
    """The log keeps that something happened, and who on the staff did it; the address leaves its summaries."""
    events = _audit_mentions(address)
    for event in events:
        event.summary = event.summary.replace(address.value, audit.MASK)
    return {"mentions": len(events)}


register("audit_log", export=_export_audit, erase=_erase_audit)
