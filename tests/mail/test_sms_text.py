"""What an SMS costs and where it goes: GSM 03.38 or UCS-2, the segments the operator charges, and the number
in E.164 from what a person typed."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forum_app.mail.sms import GSM7_BASIC, GSM7_EXTENSION, is_gsm7, phone_for_sms, segments

gsm_basic = st.text(alphabet=sorted(GSM7_BASIC))
gsm_any = st.text(alphabet=sorted(GSM7_BASIC | GSM7_EXTENSION))
bmp_outside_gsm = st.characters(min_codepoint=0x100, max_codepoint=0xFFFF, exclude_categories=("Cs",)).filter(
    lambda ch: ch not in GSM7_BASIC and ch not in GSM7_EXTENSION)


def test_the_gsm_alphabet_is_the_standards():
    assert len(GSM7_BASIC) == 127  # 128 less the escape to the extension table
    assert len(GSM7_EXTENSION) == 10
    assert is_gsm7("Hej Åsa! Välkommen till forumet på måndag kl. 17.00 {€}")
    assert not is_gsm7("Привіт")  # Ukrainian
    assert not is_gsm7("ç")  # only the capital Ç is in GSM 03.38
    assert not is_gsm7("Hej 🙂")


@given(gsm_basic)
def test_a_gsm_text_takes_160_or_153_a_part(text):
    expected = 1 if len(text) <= 160 else math.ceil(len(text) / 153)
    assert is_gsm7(text)
    assert segments(text) == expected


@given(st.text(alphabet=bmp_outside_gsm, min_size=1))
def test_a_ucs2_text_takes_70_or_67_a_part(text):
    expected = 1 if len(text) <= 70 else math.ceil(len(text) / 67)
    assert not is_gsm7(text)
    assert segments(text) == expected


@given(gsm_any)
def test_an_extension_character_counts_two_and_is_never_cut(text):
    septets = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
    count = segments(text)
    assert count == 1 if septets <= 160 else math.ceil(septets / 153) <= count <= math.ceil(septets / 152)


@given(st.text(), st.text())
def test_more_text_never_takes_fewer_sms_in_the_same_coding(text, more):
    if is_gsm7(text) == is_gsm7(text + more):
        assert segments(text + more) >= segments(text)


@pytest.mark.parametrize(("text", "count"), [
    ("", 1), ("x" * 160, 1), ("x" * 161, 2), ("€" * 80, 1), ("€" * 81, 2), ("x" * 152 + "€" + "x" * 152, 3),
    ("ሰ" * 70, 1), ("ሰ" * 71, 2), ("🙂" * 35, 1), ("🙂" * 36, 2), ("ሰ" * 66 + "🙂" + "ሰ" * 66, 2), ("ሰ" * 134, 2), ("ሰ" * 135, 3),
])
def test_segments_at_the_edges(text, count):
    assert segments(text) == count


@pytest.mark.parametrize("raw", ["070 123 45 67", "070-123 45 67", "0701234567", "0046 70 123 45 67",
                                 "+46 70 123 45 67", "+46701234567", "46701234567", " (070) 123 45 67 "])
def test_a_swedish_mobile_number_in_every_form_becomes_e164(raw):
    assert phone_for_sms(raw, "46") == "+46701234567"


@pytest.mark.parametrize("raw", ["", None, "070", "abc", "08-123 456 78", "+46 8 123 456 78", "0701234567890"])
def test_what_cannot_be_a_mobile_number_is_none(raw):
    assert phone_for_sms(raw, "46") is None


def test_a_number_with_its_own_country_keeps_it():
    assert phone_for_sms("+252 61 234 5678", "46") == "+252612345678"  # Somalia
    assert phone_for_sms("0049 151 12345678", "46") == "+4915112345678"
    assert phone_for_sms("0151 12345678", "49") == "+4915112345678"  # another city's country code
    assert phone_for_sms("0701234567", "") is None  # no country to read it in


@given(st.from_regex(r"7[02369][0-9]{7}", fullmatch=True))
def test_the_three_ways_to_write_a_swedish_mobile_number_agree(subscriber):
    found = {phone_for_sms(form, "46") for form in (f"0{subscriber}", f"0046{subscriber}", f"+46{subscriber}")}
    assert len(found) == 1
    assert found.pop() in (f"+46{subscriber}", None)
