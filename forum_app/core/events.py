"""Domain events: a lower domain announces what happened and the higher domains that care listen.

As Indico does with its blinker signals: ``planning`` does not call ``registrations`` when a forum
is cancelled; it sends ``forum_cancelled`` and ``registrations`` (which sits above it) tells the
people who registered. Receivers run inside the sender's transaction, so what they write (an
outbox message, a subscriber, a volunteer) is saved or rolled back with the change itself.

Each signal is sent with the object it is about as the sender; keyword arguments are listed with
the signal. Receivers are connected in the listening domain's ``init_app``. A signal is added with
its first receiver: one that nobody hears is a call that does nothing and a promise nobody keeps.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# planning
forum_cancelled = _signals.signal("forum-cancelled", doc="A forum was cancelled. Sender: the Forum.")
forum_saved = _signals.signal(
    "forum-saved", doc="A forum's details were saved and committed; its capacity may have grown, so "
                       "registrations promotes from the waiting list in a transaction of its own. Sender: the Forum.")

forum_moved = _signals.signal(
    "forum-moved", doc="A published forum's time or venue changed, in the saving transaction (its "
                       "``calendar_sequence`` already raised): registrations tells everyone registered. Sender: the Forum.")

# registrations
registered = _signals.signal(
    "registered",
    doc="A person registered. Sender: the Registration. ``volunteer`` (bool): they offered to join the "
        "core team; ``subscribe`` (bool): they asked for the newsletter.")

# accounts
account_checked = _signals.signal(
    "account-checked",
    doc="Asked on each request for a logged-in user: a receiver returns False when a higher domain "
        "has ended that person's access (e.g. a core-team term that is over). Sender: the User.")
access_ended_why = _signals.signal(
    "access-ended-why",
    doc="Asked when someone with the right password cannot log in because their access has ended: a "
        "receiver returns the reason in words (e.g. \"your term in the core team ended on …\") or None. "
        "Sender: the User.")
