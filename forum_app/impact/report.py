"""The annual report as PDF, rendered by WeasyPrint from the very HTML of the report page, and
how figures read in the reader's language.

Fonts come from the system through fontconfig (Debian's ``fonts-noto-core``: Noto Sans, Noto
Naskh Arabic for Arabic and Persian, Noto Sans Ethiopic for Tigrinya); WeasyPrint embeds the
glyphs it uses as subsets, so the text stays selectable and searchable, shaped by HarfBuzz.
Nothing is fetched from the network: the only resource is our own stylesheet, read from disk.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

from babel import numbers as babel_numbers
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from ..i18n import reader_language
from ..i18n.formatting import format_money, format_number


def figure_text(value, unit: str) -> str:  # noqa: ANN001
    """A figure as the reader reads it: "42", "37,5 %", "12 dagar", "1 250 kr"; a dash when unknown."""
    if value is None:
        return "–"
    if unit == "percent":
        lang = reader_language()
        return babel_numbers.format_percent(Decimal(str(value)) / 100, locale=lang, decimal_quantization=False,
                                            numbering_system="latn")
    if unit == "days":
        days = int(round(value))
        return ngettext("%(num)d day", "%(num)d days", days)
    if unit == "money":
        return format_money(value)
    return format_number(value)


def change_text(value, unit: str) -> str:  # noqa: ANN001
    """The change from the year before, signed: "+3", "−2,5 %"."""
    if value is None:
        return "–"
    if value == 0:
        return _("no change")
    sign = "+" if value > 0 else "−"
    return sign + figure_text(abs(value), unit)


def year_in_numbers(indicators) -> list[str]:  # noqa: ANN001 - queries.Indicators
    """The report's sentences about the year, written from its figures (never typed, so they cannot
    disagree with the tables): each sentence is one translated whole, with its number's plural."""
    forums = indicators.figure("forums_held").value
    if not forums:
        return [_("No forum was held this year.")]
    people = indicators.figure("participants").value
    sentences = [
        ngettext("In %(year)d the migrant forum held %(num)d forum.",
                 "In %(year)d the migrant forum held %(num)d forums.", forums, year=indicators.year),
        ngettext("%(num)d person took part.", "%(num)d people took part.", people),
    ]
    if people:
        back = indicators.figure("returning_participants").value
        sentences.append(ngettext("%(num)d of them had taken part in an earlier forum too.",
                                  "%(num)d of them had taken part in an earlier forum too.", back))
    cost = indicators.figure("cost_per_participant").value
    if cost is not None:
        sentences.append(_("The cost per participant was %(amount)s.", amount=format_money(cost)))
    return sentences + _chapter_sentences(indicators)


def _chapter_sentences(indicators) -> list[str]:  # noqa: ANN001 - queries.Indicators
    """The sentences about the chapter's indicators that rest on what staff and departments record; a figure
    that is nothing (none yet) gets no sentence rather than a "0" that reads like a finding."""
    sentences = []
    departments = indicators.figure("dialogue_departments").value
    if departments:
        sentences.append(ngettext(
            "%(num)d department besides the integration office was in dialogue with residents.",
            "%(num)d departments besides the integration office were in dialogue with residents.", departments))
    against = indicators.figure("against_discrimination").value
    if against:
        sentences.append(ngettext("%(num)d accepted measure acts against discrimination.",
                                  "%(num)d accepted measures act against discrimination.", against))
    reached = indicators.figure("decision_makers_present").value
    if reached:
        sentences.append(ngettext("%(num)d decision maker heard the recommendations presented.",
                                  "%(num)d decision makers heard the recommendations presented.", reached))
    spent = indicators.figure("measure_costs_actual").value
    if spent:
        sentences.append(_("The departments spent %(amount)s on the forum's recommendations.",
                           amount=format_money(spent)))
    return sentences


def _refuse_remote(url: str):  # noqa: ANN202
    raise ValueError(f"the PDF loads nothing from elsewhere: {url}")


# Tagged for accessibility: a structure tree, /MarkInfo, the title and /Lang, as PDF/UA-1 asks; the fonts
# are embedded as before.
PDF_VARIANT = "pdf/ua-1"


def _stylesheet() -> Path:
    return Path(current_app.static_folder) / "css" / "report.css"


class PdfUnavailable(Exception):
    """WeasyPrint cannot run here: Pango (or another system library it loads) is missing."""


def render_pdf(html: str) -> bytes:
    try:
        import weasyprint  # here, not at the top: the site runs without Pango; only this PDF needs it
    except (ImportError, OSError) as error:  # OSError: cannot load library 'libpango-1.0-0'
        raise PdfUnavailable(str(error)) from error

    document = weasyprint.HTML(string=html, url_fetcher=_refuse_remote)
    return document.write_pdf(stylesheets=[weasyprint.CSS(filename=str(_stylesheet()))], pdf_variant=PDF_VARIANT)


def cached_pdf(html: str, name: str) -> bytes:
    """The PDF of ``html``, made once per change of what it shows and served from that copy afterwards.

    The report's HTML is cheap (its figures are a few grouped queries) and the PDF is not (seconds of CPU),
    so the copy is named by a hash of the HTML, the stylesheet and the renderer: any change of the data, the
    language or the layout gives a new name, and nothing else does (a query string never reaches it). Kept
    in the instance folder, one copy per ``name`` (year and language): each web host makes its own once."""
    digest = hashlib.sha256()
    for part in (html.encode("utf-8"), _stylesheet().read_bytes(), version("weasyprint").encode(),
                 PDF_VARIANT.encode()):
        digest.update(hashlib.sha256(part).digest())
    folder = Path(current_app.instance_path) / "cache" / "report-pdf"
    path = folder / f"{name}-{digest.hexdigest()[:32]}.pdf"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    pdf = render_pdf(html)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}"
    partial.write_bytes(pdf)
    os.replace(partial, path)  # whole or not at all, also when two requests make it at once
    for older in folder.glob(f"{name}-*.pdf"):
        if older != path:
            older.unlink(missing_ok=True)
    return pdf


def init_app(app) -> None:  # noqa: ANN001
    app.jinja_env.globals.update(figure_text=figure_text, change_text=change_text, year_in_numbers=year_in_numbers)
