"""The checks of the shop's own setup: its address as the world reaches it, mail, the admin
password, the secret key, the rate limits' storage and the database's migrations."""

import requests
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from shop.admin.auth import password_hash
from shop.core.extensions import db
from shop.notices.transports import MAIL_FAILURES, smtp_session
from shop.preflight.results import Result, Run, Verdict, failed, passed

# A key as secrets.token_hex(32) makes it is 64 characters of 16 kinds; a short or
# repetitive one can be guessed, and with it every session and signed link forged.
MIN_SECRET_LENGTH = 32
MIN_SECRET_KINDS = 10


def https_shop_url(run: Run) -> Result:
    url = run.config["SHOP_URL"]
    if url.startswith("https://"):
        return passed(url)
    return failed(f"SHOP_URL({url})을 https:// 공개 주소로 바꾸세요(앞단 nginx가 TLS를 맡습니다).")


def answers_health(run: Run) -> Result:
    url = run.config["SHOP_URL"] + "/healthz"
    try:
        status = run.get("/healthz").status_code
    except requests.RequestException:
        return failed(f"{url}에 연결하지 못했습니다. 상점을 띄우고 SHOP_URL이 맞는지 확인하세요.")
    if status != 200:
        return failed(f"{url}이 {status}로 답합니다. 데이터베이스 연결을 확인하세요.")
    return passed()


def webhook_reachable(run: Run) -> Result:
    """A POST without a body gets the route's 400 (403 when only PortOne's addresses may post):
    the route is there. A connection error or a 404 means PortOne's webhooks are lost."""
    path = run.app.url_map.bind("").build("payments.webhook")
    url = run.config["SHOP_URL"] + path
    expected = {400, 403} if run.config["WEBHOOK_ALLOWED_IPS"] else {400}
    try:
        status = run.get(path, "POST").status_code
    except requests.RequestException:
        return failed(f"웹훅 주소 {url}에 연결하지 못했습니다. 방화벽과 프록시를 확인하세요.")
    if status not in expected:
        return failed(
            f"웹훅 주소 {url}이 {status}로 답합니다. 프록시가 이 경로를 넘기는지 확인하세요."
        )
    return passed(f"{url}을 PortOne 콘솔의 웹훅 URL로 설정하세요")


def mail(run: Run) -> Result:
    server = run.config["MAIL_SERVER"]
    if not server:
        return Result(Verdict.NOT_HERE, "MAIL_SERVER가 없어 알림 메일을 보내지 않습니다")
    try:
        with smtp_session(run.config) as smtp:
            smtp.noop()
    except MAIL_FAILURES as error:
        return failed(
            f"메일 서버 {server}:{run.config['MAIL_PORT']}에 연결하지 못했습니다({error}). "
            "MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS, MAIL_USERNAME, MAIL_PASSWORD를 확인하세요."
        )
    return passed(server)


def admin_password(run: Run) -> Result:
    if password_hash():
        return passed()
    return failed(
        "ADMIN_PASSWORD_HASH가 없거나 해시 모양이 아닙니다. `flask --app shop admin-password`가 "
        "출력하는 값을 넣으세요."
    )


def secret_key(run: Run) -> Result:
    """A missing key already stops the shop (shop.core.config.require_secret_key); here its
    strength."""
    key = str(run.config["SECRET_KEY"])
    if len(key) >= MIN_SECRET_LENGTH and len(set(key)) >= MIN_SECRET_KINDS:
        return passed()
    return failed(
        "SECRET_KEY가 짧거나 단순합니다. `python -c 'import secrets; print(secrets.token_hex(32))'`로 "
        "만든 값을 모든 서버에 똑같이 넣으세요."
    )


def shared_rate_limits(run: Run) -> Result:
    storage = run.config["RATELIMIT_STORAGE_URI"]
    if not run.config["RATELIMIT_ENABLED"]:
        return Result(Verdict.NOT_HERE, "RATELIMIT_ENABLED가 꺼져 있습니다")
    if run.processes > 1 and storage.startswith("memory://"):
        return failed(
            f"프로세스 {run.processes}개가 요청 제한을 따로 셉니다(memory://). "
            "RATELIMIT_STORAGE_URI를 redis://… 로 바꾸세요."
        )
    return passed(f"프로세스 {run.processes}개, {storage}")


def migrations_current(run: Run) -> Result:
    script = ScriptDirectory.from_config(run.app.extensions["migrate"].migrate.get_config())
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current == set(script.get_heads()):
        return passed(", ".join(sorted(current)))
    return failed(
        f"데이터베이스가 최신 마이그레이션이 아닙니다(현재 {', '.join(sorted(current)) or '없음'}). "
        "`flask --app shop db upgrade`를 실행하세요."
    )
