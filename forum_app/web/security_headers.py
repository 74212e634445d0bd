"""The security headers every answer carries, written down once.

Flask-Talisman sets them on everything the application answers (pages, the API, calendar files, errors);
static files never reach the application -- WhiteNoise answers them in front of it -- so WhiteNoise adds
the same headers from :func:`static_file_headers`. A test compares the two, so they cannot drift apart.
(HSTS stays with Talisman and the proxy: it belongs only on answers over HTTPS, which the proxy knows.)
"""

from __future__ import annotations

# No inline script or style anywhere; every asset is served by us.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
FRAME_OPTIONS = "DENY"
REFERRER_POLICY = "strict-origin-when-cross-origin"
PERMISSIONS_POLICY = {"geolocation": "()", "camera": "()", "microphone": "()"}


def talisman_options() -> dict:
    return {"content_security_policy": CONTENT_SECURITY_POLICY, "frame_options": FRAME_OPTIONS,
            "referrer_policy": REFERRER_POLICY, "permissions_policy": PERMISSIONS_POLICY}


def static_file_headers() -> dict[str, str]:
    """The headers as Talisman writes them."""
    return {
        "Content-Security-Policy": "; ".join(f"{name} {value}" for name, value in CONTENT_SECURITY_POLICY.items()),
        "X-Frame-Options": FRAME_OPTIONS,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": REFERRER_POLICY,
        "Permissions-Policy": ", ".join(f"{name}={value}" for name, value in PERMISSIONS_POLICY.items()),
    }


def add_to_static_file(headers, path: str, url: str) -> None:  # noqa: ANN001, ARG001 - WhiteNoise's hook
    """WhiteNoise's ``add_headers_function``: called once per file at start-up."""
    for name, value in static_file_headers().items():
        headers[name] = value
