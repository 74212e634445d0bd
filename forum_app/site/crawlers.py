"""For search engines and browsers at the site's root: ``/robots.txt``, ``/sitemap.xml``, ``/favicon.ico``.

The sitemap lists every public page in all seven languages, each with its alternates (``xhtml:link``), so
a search engine shows the Arabic page to someone searching in Arabic. Staff and private pages (private
links, logins, the language switcher, which sets a cookie) are kept out by ``robots.txt``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, render_template, send_from_directory

from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from ..newsletter.queries import sitemap_issues
from ..planning.queries import public_forum_years, sitemap_forums
from ..recommendations.queries import sitemap_recommendations
from ..web.http_cache import public_page
from ..web.links import external_url

bp = Blueprint("crawlers", __name__)

# Below every language: staff pages, private links (a registration, a confirmation, an unsubscription),
# logins and the language switcher.
PRIVATE_PATHS = ("/admin/", "/registration/", "/login", "/forgot-password", "/set-password/", "/language",
                 "/newsletter/confirm/", "/newsletter/unsubscribe/", "/recommendations/follow/",
                 "/recommendations/unfollow/")

# Not content-hashed (browsers ask for this exact address), so a week rather than a year.
FAVICON_MAX_AGE = 7 * 24 * 3600


@bp.route("/robots.txt")
@public_page
def robots():
    root = urlsplit(current_app.config["BASE_URL"]).path.rstrip("/")
    lines = ["User-agent: *", f"Allow: {root}/", *(f"Disallow: {root}/*{path}" for path in PRIVATE_PATHS),
             f"Disallow: {root}/healthz", "", f"Sitemap: {external_url('crawlers.sitemap')}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


@dataclass(frozen=True)
class SitemapPage:
    addresses: dict[str, str]  # language -> absolute address
    lastmod: datetime | None

    @property
    def x_default(self) -> str:
        return self.addresses[DEFAULT_LANGUAGE]


def _page(endpoint: str, lastmod: datetime | None = None, **values) -> SitemapPage:  # noqa: ANN003
    return SitemapPage({code: external_url(endpoint, lang=code, **values) for code in LANGUAGES},
                       lastmod.replace(microsecond=0) if lastmod else None)


def _latest(rows: list[tuple[int, datetime]]) -> datetime | None:
    return max((changed for _id, changed in rows if changed), default=None)


def sitemap_pages() -> list[SitemapPage]:
    """Every public page, with when it last changed where we know it (a list: its newest item)."""
    forums, recommendations, issues = sitemap_forums(), sitemap_recommendations(), sitemap_issues()
    return [
        _page("site.home", _latest(forums + recommendations + issues)),
        _page("planning.topics"),
        _page("planning.forums", _latest(forums)),
        *(_page("planning.forum", changed, forum_id=forum_id) for forum_id, changed in forums),
        _page("recommendations.index", _latest(recommendations)),
        *(_page("recommendations.detail", changed, recommendation_id=rec_id) for rec_id, changed in recommendations),
        _page("newsletter.index", _latest(issues)),
        *(_page("newsletter.issue", sent, issue_id=issue_id) for issue_id, sent in issues),
        *(_page("impact.year", year=year) for year in public_forum_years()),
        _page("site.privacy"),
    ]


@bp.route("/sitemap.xml")
@public_page
def sitemap():
    return Response(render_template("site/sitemap.xml", pages=sitemap_pages(), languages=list(LANGUAGES)),
                    mimetype="application/xml")


@bp.route("/favicon.ico")
def favicon():
    """The same file as ``static/favicon.ico`` (pages link its content-hashed copy), for browsers that ask
    the root. Cacheable and without a cookie: send_file sets Cache-Control, which the cache rule keeps."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=FAVICON_MAX_AGE)
