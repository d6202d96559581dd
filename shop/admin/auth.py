"""The operator's login: one password, kept only as a werkzeug hash (ADMIN_PASSWORD_HASH).

Without a usable hash the admin answers every request with a page that says how to set one.
A login starts a new session (nothing of the customer's carries over), kept on the server
(shop.admin.sessions): it lasts a working day and ends, in every copy of its cookie, with the
logout or a new password.
"""

import re
from urllib.parse import urlsplit

import click
from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from shop.admin import sessions
from shop.admin.blueprint import bp
from shop.admin.forms import LoginForm
from shop.core.extensions import limiter
from shop.web.security import never_stored

HASH_SHAPE = re.compile(r"(scrypt|pbkdf2)(:\w+)*\$[^$]+\$[0-9a-f]+")
MIN_PASSWORD_LENGTH = 12
WRONG_PASSWORD = "비밀번호가 올바르지 않습니다."


def password_hash() -> str | None:
    configured = current_app.config.get("ADMIN_PASSWORD_HASH") or ""
    return configured if HASH_SHAPE.fullmatch(configured) else None


@bp.before_request
def require_admin():
    pwhash = password_hash()
    if pwhash is None:
        configured = bool(current_app.config.get("ADMIN_PASSWORD_HASH"))
        return render_template("admin/setup.html", malformed=configured), 503
    g.admin = sessions.is_open(session.get("admin"), pwhash)
    if g.admin or request.endpoint == "admin.login":
        return None
    wanted = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("admin.login", next=wanted))


@bp.after_request
def keep_private(response):
    never_stored(response)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        if check_password_hash(password_hash(), form.password.data):
            start_session(password_hash())
            flash("로그인했습니다.", "success")
            return redirect(inside_admin(request.args.get("next")))
        form.password.errors.append(WRONG_PASSWORD)
    return render_template("admin/login.html", form=form)


def start_session(pwhash: str) -> None:
    """A new session: whatever the old one held (a cart, orders) stays behind."""
    session.clear()
    session["admin"] = sessions.begin(pwhash)


def inside_admin(target: str | None) -> str:
    """Where to go after the login: a page of the admin, never another site."""
    return target if target and admin_page(target) else url_for("admin.orders")


def admin_page(target: str) -> bool:
    parts = urlsplit(target)
    local = not (parts.scheme or parts.netloc) and "\\" not in target
    return local and parts.path.startswith(f"{bp.url_prefix or ''}/")


@bp.post("/logout")
def logout():
    sessions.end(session.get("admin"))
    session.clear()
    flash("로그아웃했습니다.", "success")
    return redirect(url_for("admin.login"))


@click.command("admin-password")
@click.password_option(
    prompt="관리자 비밀번호", confirmation_prompt="비밀번호를 한 번 더 입력하세요"
)
def admin_password_command(password: str) -> None:
    """Print an ADMIN_PASSWORD_HASH line for instance/config.py or the environment."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"{MIN_PASSWORD_LENGTH}자 이상으로 정해 주세요.")
    pwhash = generate_password_hash(password)
    click.echo("instance/config.py에 넣을 줄:")
    click.echo(f'ADMIN_PASSWORD_HASH = "{pwhash}"')
    click.echo("또는 .env / 환경 변수 ($가 그대로 남도록 작은따옴표로):")
    click.echo(f"ADMIN_PASSWORD_HASH='{pwhash}'")
