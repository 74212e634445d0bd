"""Punctuation in the reader's script (issue 30): Tigrinya's ፣ ። ፦ and never the word separator ፡; Arabic and
Persian ، ؟ ؛ and no Latin comma or question mark after Arabic script; never two colons after a label. Each check
runs on every catalogue and is shown to fail on the review's examples."""

from __future__ import annotations

import pytest

from forum_app.i18n import LANGUAGES

from .checks import (
    arabic_punctuation_slips,
    catalogue,
    double_colon_slips,
    ethiopic_punctuation_slips,
    ukrainian_apostrophe_slips,
)

CHECKS = {"ti": [ethiopic_punctuation_slips], "ar": [arabic_punctuation_slips], "fa": [arabic_punctuation_slips],
          "uk": [ukrainian_apostrophe_slips]}


def _slips(code: str, entries) -> list[tuple[str, str, str]]:
    return [(slip, msgid, form) for msgid, forms in entries for form in forms
            for check in (*CHECKS.get(code, []), double_colon_slips) for slip in check(form)]


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_every_msgstr_is_punctuated_in_its_own_script(code):
    assert _slips(code, catalogue(code)) == []


@pytest.mark.parametrize("code,msgstr", [
    ("ti", "ስለ ዝመጻእካ የቐንየልና፡ %(hook)s"),  # the thank-you subject: ፡ as a colon
    ("ti", "ቦታታት፡ ተርጐምቲ፡ ክንክን ህጻናትን መግብን"),  # ፡ as a comma
    ("ti", "ብማእከላይ ጉጅለ ተሰማሚዑሉ: 1"),  # a Latin colon typed between pieces (recommendations/index.html)
    ("ar", "الطعام, حساسية"),
    ("ar", "هل تريد إلغاء مكانك?"),
    ("fa", "نشست; ثبت‌نام"),
    ("ti", "መግቢ፦ ኣለርጂ ወይ ፍሉይ መግቢ፦፦ ሓላል"),
    ("ar", "الطعام: حساسية أو نظام غذائي:: حلال"),
    ("uk", "П'ять коротких запитань"),  # the review: ASCII ' ×57, ’ ×5
])
def test_the_script_checks_catch_the_reviews_examples(code, msgstr):
    assert _slips(code, [("example", [msgstr])]) != []


@pytest.mark.parametrize("code,msgstr", [
    ("ti", "ስለ ዝመጻእካ የቐንየልና፦ %(hook)s"), ("ti", "ቦታታት፣ ተርጐምቲ፣ ክንክን ህጻናትን መግብን።"),
    ("ar", "الطعام، حساسية"), ("ar", "هل تريد إلغاء مكانك؟"), ("fa", "ساعت 18:00"),
    ("ar", "amina.ar@example.org, Stadshuset"),
])
def test_the_script_checks_let_right_punctuation_through(code, msgstr):
    assert _slips(code, [("example", [msgstr])]) == []
