"""The sample deploy/kannel/kannel.conf: Kannel starts with it and the app's sendsms user gets its SMS through.

The test runs the real file with its ports, paths and passwords swapped for temporary ones and its SMPP operator
swapped for Kannel's fake one (fakesmsc), the rest as written: a field Kannel does not know, or a missing blank
line between groups, stops bearerbox or smsbox here as it would in production.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..kannel import Kannel, Sms

SAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "kannel" / "kannel.conf"


def adapted_sample(kannel: Kannel) -> str:
    text = SAMPLE.read_text()
    smsc_start, smsc_end = text.index("group = smsc\n"), text.index("group = smsbox\n")
    assert "smsc = smpp" in text[smsc_start:smsc_end], "the sample's smsc group is no longer SMPP"
    text = (text[:smsc_start] + f"group = smsc\nsmsc = fake\nsmsc-id = operator\nport = {kannel.smsc_port}\n"
            "connect-allow-ip = 127.0.0.1\n\n" + text[smsc_end:])
    replacements = {
        "admin-port = 13000": f"admin-port = {kannel.admin_port}",
        "smsbox-port = 13001": f"smsbox-port = {kannel.smsbox_port}",
        "sendsms-port = 13013": f"sendsms-port = {kannel.sendsms_port}",
        "/var/log/kannel": str(kannel.folder),
        "/var/spool/kannel/store": str(kannel.folder / "store"),
        "admin-password = CHANGE-ME-admin-password": f"admin-password = {kannel.admin_password}",
        "username = forum": f"username = {kannel.username}",
        "password = CHANGE-ME-sendsms-password": f"password = {kannel.password}",
    }
    for old, new in replacements.items():
        assert old in text, f"{old!r} is no longer in {SAMPLE.name}; update the substitutions in this test"
        text = text.replace(old, new)
    return text


@pytest.fixture
def sample_kannel(tmp_path):
    kannel = Kannel(tmp_path)
    kannel.conf.write_text(adapted_sample(kannel))
    kannel.start()
    yield kannel
    kannel.stop()


def test_kannel_starts_with_the_sample_and_accepts_the_apps_sms(sample_kannel):
    status, answer = sample_kannel.sendsms(to="+46701234567", text="Hej från forumet")

    assert (status, answer) == (202, "0: Accepted for delivery")
    assert sample_kannel.wait_for(1) == [Sms("Forum", "+46701234567", "Hej från forumet")]


def test_the_sample_sends_three_segments_whole_and_cuts_a_longer_text(sample_kannel):
    """max-messages = 3: why the app's texts are written for one or two segments."""
    three, five = "ሰ" * 201, "ሰ" * 300  # 3 and 5 UCS-2 segments of 67

    for text in (three, five):
        assert sample_kannel.sendsms(to="+46701234567", text=text, charset="UTF-8", coding="2")[0] == 202

    whole, cut = sample_kannel.wait_for(2)
    assert (whole.text, whole.parts) == (three, 3)
    assert (cut.text, cut.parts) == (five[:201], 3)
