"""Staff and core team accounts: users, roles, login with slowing of repeated failures, access rules."""

from flask import Flask


def init_app(app: Flask) -> None:  # noqa: ARG001 - the same shape as every domain's
    from ..privacy import registry as personal_data  # noqa: PLC0415 - core; imported when the app is built, as the domains do
    from . import history, services  # noqa: F401, PLC0415 - imported when the app is built, as the domains do

    personal_data.register("accounts", export=services.export_by_address, erase=services.erase_by_address)
