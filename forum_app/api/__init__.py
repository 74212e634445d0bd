"""Open data: a read-only JSON API with an OpenAPI 3.1 document. No personal data ever leaves here."""

from flask import Flask

from ..core.extensions import csrf
from .views import bp


def init_app(app: Flask) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
