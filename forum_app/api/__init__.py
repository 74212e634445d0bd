"""Open data: a read-only JSON API with an OpenAPI 3.1 document. No personal data ever leaves here."""

from flask import Flask


def init_app(app: Flask) -> None:
    from ..extensions import csrf
    from .views import bp

    csrf.exempt(bp)
    app.register_blueprint(bp)
