"""The shop's application factory."""

from pathlib import Path

import requests
import xstatic.pkg.jquery
from flask import Blueprint, Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.middleware.proxy_fix import ProxyFix

from shop import cli
from shop.admin import bp as admin_bp
from shop.core import config, database, logs
from shop.core.extensions import csrf, db, limiter, migrate
from shop.core.formatting import register_filters
from shop.notices import sender
from shop.payments import health, portone_views  # noqa: F401 - PortOne's routes join payments.bp
from shop.payments import views as payments
from shop.payments.gateway import PortOne
from shop.storefront import cart, catalog, checkout, lookup, orders, pages, paid_cart, returns
from shop.web import assets, compression, csp_reports, errors, inputs, meta, security
from shop.web.wsgi_transport import WSGIAdapter

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(test_config: dict | None = None) -> Flask:
    # templates/ and static/ live at the top level of the repository, beside shop/.
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    config.load(app, test_config)
    logs.configure(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    with app.app_context():
        database.configure(db.engine)
    database.register(app)
    csrf.init_app(app)
    limiter.init_app(app)
    inputs.register(app)
    for module in (catalog, cart, checkout, health, lookup, orders, returns, pages, payments):
        app.register_blueprint(module.bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(csp_reports.bp)
    app.register_blueprint(vendor_assets())
    errors.register(app)
    security.register(app)
    assets.register(app)
    compression.register(app)
    paid_cart.register(app)
    cli.register(app)
    register_filters(app)
    meta.register(app)
    app.extensions["portone"] = connect_gateway(app)
    trust_proxies(app)
    sender.start_sender(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies the client is the Nth address from the right of
    X-Forwarded-For; whatever a client wrote further left is ignored."""
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def vendor_assets() -> Blueprint:
    """jQuery from the XStatic-jQuery package: served locally, no CDN needed."""
    return Blueprint(
        "vendor",
        __name__,
        static_folder=xstatic.pkg.jquery.BASE_DIR,
        static_url_path="/vendor/jquery",
    )


def connect_gateway(app: Flask) -> PortOne:
    """The same client in both modes; in sandbox mode its HTTP goes to the mounted sandbox."""
    session = requests.Session()
    if app.config["PAYMENT_MODE"] == "sandbox":
        session.trust_env = False  # no proxy or .netrc on the way to an in-process sandbox
        sandbox = mount_sandbox(app)
        session.mount(app.config["PORTONE_API_URL"] + "/", WSGIAdapter(sandbox, "/sandbox"))
    return PortOne(
        app.config["PORTONE_API_URL"],
        app.config["IMP_KEY"],
        app.config["IMP_SECRET"],
        session=session,
        timeout=app.config["PORTONE_TIMEOUT"],
        budget=app.config["PORTONE_CONCURRENCY"],
    )


def mount_sandbox(app: Flask) -> Flask:
    from iamport_sandbox import create_sandbox_app

    settings = {key: value for key, value in app.config.items() if key.startswith("SANDBOX_")}
    # notice_url and confirm_url may point at this shop only: its server posts nowhere else.
    shop_origin = security.origin(app.config["SHOP_URL"])
    sandbox = create_sandbox_app(
        settings
        | {
            "SANDBOX_MERCHANT_NAME": app.config["SHOP_NAME"],
            "SANDBOX_MERCHANT_ORIGINS": (shop_origin,),
            "TESTING": app.testing,
        }
    )
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/sandbox": sandbox})  # type: ignore[method-assign]
    app.extensions["sandbox_app"] = sandbox
    # Its webhooks reach this shop in-process too: no socket, so they arrive under a single
    # synchronous worker and in tests alike, with HTTP's methods, headers and status codes.
    webhooks = sandbox.extensions["webhook_session"]
    webhooks.mount(app.config["SHOP_URL"] + "/", WSGIAdapter(app))
    return sandbox
