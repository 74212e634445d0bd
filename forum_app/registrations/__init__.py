"""Registration: public sign-up in the resident's language, waiting list, self-service, check-in, what to order."""

from flask import Flask


def init_app(app: Flask) -> None:
    from . import admin, display, views

    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    display.init_app(app)
    admin.init_panels(app)
