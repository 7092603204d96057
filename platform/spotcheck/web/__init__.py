"""The web layer: locale, CSRF, security headers, rate limits, error pages and the blueprints."""

from __future__ import annotations

from importlib import import_module

from flask import Flask, current_app, has_request_context, render_template, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from spotcheck.tenancy.scope import TenancyError
from spotcheck.web import request_context
from spotcheck.web.extensions import apply_rate_limits, babel, csrf, init_limiter, talisman

BLUEPRINTS = (
    "spotcheck.web.views",
    "spotcheck.tenancy.views",
    "spotcheck.tenancy.admin_views",
    "spotcheck.hooks.views",
    "spotcheck.system.views",
    "spotcheck.audit.views",
    "spotcheck.audit.public",
    "spotcheck.api.token_views",
    "spotcheck.registry.targets.views",
    "spotcheck.registry.area_views",
    "spotcheck.registry.items.views",
    "spotcheck.registry.inspectors.views",
    "spotcheck.registry.experts.views",
    "spotcheck.registry.importing.views",
    "spotcheck.registry.exporting.views",
    "spotcheck.planning.views",
    "spotcheck.planning.workplan_views",
    "spotcheck.draw.views",
    "spotcheck.draw.team_views",
    "spotcheck.calendar.views",
    "spotcheck.inspection.views",
    "spotcheck.inspection.file_views",
    "spotcheck.inspection.form_views",
    "spotcheck.publication.views",
    "spotcheck.publication.portal",
    "spotcheck.followup.views",
    "spotcheck.punishment.views",
    "spotcheck.console.views",
    "spotcheck.observability.views",
)
"""Modules whose ``bp`` is registered, in this order."""

# Everything is served by the app itself (government intranets have no CDN); inline scripts and
# styles are not allowed either.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": ["'self'", "data:"],
    "style-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_app(app: Flask) -> None:
    """Bind the web extensions and register every blueprint."""
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    init_limiter(app)  # one per app: Flask-Limiter keeps its settings on the object
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=True,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )
    request_context.init_app(app)
    for module in BLUEPRINTS:
        app.register_blueprint(import_module(module).bp)
    apply_rate_limits(app)
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(TenancyError, lambda _e: _error_page_for(404))
    app.context_processor(_template_globals)


def select_locale() -> str:
    """Chinese first: the user's chosen locale, else the ``lang`` cookie, else Chinese."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]  # CLI commands and background jobs
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get("lang")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _error_page(error: Exception) -> tuple[str, int]:
    return _error_page_for(getattr(error, "code", 500) or 500)


def _error_page_for(code: int) -> tuple[str, int]:
    if request.blueprint == "api" or request.path.startswith("/api/"):
        from spotcheck.api.errors import error_body

        return error_body(code), code  # type: ignore[return-value]
    return render_template("error.html", code=code), code


def _template_globals() -> dict[str, object]:
    from flask_babel import get_locale

    return {"current_locale": str(get_locale() or "zh")}
