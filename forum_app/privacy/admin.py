"""Requests for access and erasure by address: ``/<lang>/admin/privacy/`` and ``flask privacy``.

Both call the core registry (``personal_data``), to which every domain adds what it holds; this
module knows no domain. Erasing asks for a confirmation first (the page shows what would go, as
counts), then runs in one transaction. Every export and erasure is kept in the register of requests
and in the audit log, without the data.
"""

from __future__ import annotations

import json

import click
from flask import Blueprint, Flask, Response, flash, redirect, render_template, request, url_for
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..core.extensions import db
from ..web.access import staff_required
from ..web.forms import FlaskForm, strip
from . import registry as personal_data
from .registry import Address, PrivacyRequest

bp = Blueprint("privacy_admin", __name__, url_prefix="/<lang:lang>/admin/privacy")

REGISTER_SHOWN = 50


def _parse_address(_form, field) -> None:  # noqa: ANN001 - a WTForms validator
    try:
        Address.parse(field.data)
    except ValueError:
        raise ValidationError(_l("Write an email address like name@example.org or a phone number with at least "
                                 "six digits.")) from None


class AddressForm(FlaskForm):
    address = StringField(_l("Email address or phone number"), filters=[strip], validators=[
        DataRequired(_l("Write the email address or phone number the request is about.")), Length(max=254),
        _parse_address], render_kw={"autocomplete": "off", "dir": "ltr"})
    confirmed = HiddenField()


def _render_index(form: AddressForm, status: int = 200, **context) -> tuple[str, int]:
    requests = db.session.scalars(select(PrivacyRequest).order_by(PrivacyRequest.at.desc(), PrivacyRequest.id.desc())
                                  .limit(REGISTER_SHOWN)).all()
    return render_template("admin/privacy.html", form=form, requests=requests, **context), status


@bp.route("/")
@staff_required("handle_privacy_requests")
def index():
    return _render_index(AddressForm(formdata=None))


def _download(document: dict) -> Response:
    body = json.dumps(document, ensure_ascii=False, indent=2, default=str)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="personal-data.json"', "Cache-Control": "no-store"})


@bp.route("/export", methods=["POST"])
@staff_required("handle_privacy_requests")
def export():
    form = AddressForm()
    if not form.validate_on_submit():
        return _render_index(form, 400)
    address = Address.parse(form.address.data)
    document = personal_data.export(address, via="admin", user_id=current_user.id)
    if request.form.get("download"):
        return _download(document)
    shown = json.dumps(document["data"], ensure_ascii=False, indent=2, default=str)
    return _render_index(form, exported=shown, found=bool(document["data"]))[0], 200, {"Cache-Control": "no-store"}


@bp.route("/erase", methods=["POST"])
@staff_required("handle_privacy_requests")
def erase():
    form = AddressForm()
    if not form.validate_on_submit():
        return _render_index(form, 400)
    address = Address.parse(form.address.data)
    if form.confirmed.data != address.value:
        # The first step: what would go, as counts only, and a button that erases it.
        held = {name: (len(value) if isinstance(value, list) else 1)
                for name, value in personal_data.collect(address).items()}
        return render_template("admin/privacy_confirm.html", form=form, address=address, held=held), 200, {
            "Cache-Control": "no-store"}
    counts = personal_data.erase(address, via="admin", user_id=current_user.id)
    total = sum(counts.values())
    flash(ngettext("%(num)d record was erased or anonymised.", "%(num)d records were erased or anonymised.", total)
          if total else _("Nothing was held about this address."), "success")
    return redirect(url_for(".index"))


privacy_cli = AppGroup("privacy", help="Requests for access to, or erasure of, what is held about a person.")


def _cli_address(text: str) -> Address:
    try:
        return Address.parse(text)
    except ValueError as error:
        raise click.BadParameter("give an email address or a phone number (at least six digits)") from error


@privacy_cli.command("export")
@click.argument("address")
def export_command(address: str) -> None:
    """Print everything held about ADDRESS (an email address or a phone number) as JSON."""
    document = personal_data.export(_cli_address(address), via="cli")
    click.echo(json.dumps(document, ensure_ascii=False, indent=2, default=str))


@privacy_cli.command("erase")
@click.argument("address")
@click.option("--yes", is_flag=True, help="Erase without asking.")
def erase_command(address: str, yes: bool) -> None:
    """Remove or anonymise everything held about ADDRESS, in one transaction."""
    parsed = _cli_address(address)
    if not yes:
        held = personal_data.collect(parsed)
        click.echo(json.dumps({name: (len(v) if isinstance(v, list) else 1) for name, v in held.items()}))
        click.confirm("Erase all of this?", abort=True)
    counts = personal_data.erase(parsed, via="cli")
    click.echo(json.dumps({"erased": counts}))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
