"""`flask --app shop preflight`: what PortOne's 오픈 전 체크리스트 (developers.portone.io/opi/ko/
integration/checklist/readme-v1) asks that this configuration can show, checked before the
shop opens. Each check is a function of a Run answering a Result (portone_checks.py,
server_checks.py); CHECKS is their order. The command prints a line for each and exits 1 when
any fails, so CI can run it.

In sandbox mode the checks marked live_only (https, PortOne's reach of the webhook, the PG's
test mode) are still run, but what they find is shown as mattering in live mode only.
"""

import sys
from collections.abc import Callable
from typing import NamedTuple

import click
from flask.cli import with_appcontext
from flask.globals import app_ctx

from shop.preflight.portone_checks import imp_code, pg_channels, pg_test_mode_off, token
from shop.preflight.results import Result, Run, Verdict
from shop.preflight.server_checks import (
    admin_password,
    answers_health,
    https_shop_url,
    mail,
    migrations_current,
    secret_key,
    shared_rate_limits,
    webhook_reachable,
)


class Check(NamedTuple):
    label: str
    run: Callable[[Run], Result]
    live_only: bool = False


CHECKS = (
    Check("PortOne 토큰 발급(IMP_KEY, IMP_SECRET)", token),
    Check("가맹점 식별코드(IMP_CODE)", imp_code),
    Check("PG 채널(PORTONE_PG, PORTONE_PG_BY_METHOD)", pg_channels),
    Check("PG 테스트모드 꺼짐", pg_test_mode_off, live_only=True),
    Check("SHOP_URL이 https", https_shop_url, live_only=True),
    Check("SHOP_URL/healthz 응답", answers_health),
    Check("웹훅 주소(SHOP_URL/payments/webhook) 응답", webhook_reachable, live_only=True),
    Check("메일 서버 연결(MAIL_SERVER)", mail),
    Check("관리자 비밀번호(ADMIN_PASSWORD_HASH)", admin_password),
    Check("SECRET_KEY 강도", secret_key),
    Check("요청 제한 공유(RATELIMIT_STORAGE_URI)", shared_rate_limits),
    Check("마이그레이션 최신", migrations_current),
)


def judged(check: Check, run: Run) -> Result:
    """The check's result; in sandbox mode a live-only failure is only pointed out."""
    result = check.run(run)
    if result.verdict is Verdict.FAILED and check.live_only and not run.live:
        return Result(Verdict.NOT_HERE, f"live 모드에서만 필요합니다: {result.detail}")
    return result


def line(check: Check, result: Result) -> str:
    return f"{result.verdict} {check.label}" + (f": {result.detail}" if result.detail else "")


def preflight(run: Run) -> list[tuple[Check, Result]]:
    return [(check, judged(check, run)) for check in CHECKS]


@click.command("preflight")
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=1,
    envvar="WEB_CONCURRENCY",
    show_default=True,
    help="상점을 서비스할 프로세스 수(기본: WEB_CONCURRENCY).",
)
@with_appcontext
def preflight_command(processes: int) -> None:
    """Check the configuration against PortOne's go-live checklist; exit 1 if anything fails."""
    run = Run(app_ctx.app, processes)
    results = preflight(run)
    for check, result in results:
        click.echo(line(check, result))
    failures = sum(result.verdict is Verdict.FAILED for _, result in results)
    click.echo(f"{run.config['PAYMENT_MODE']} 모드: 확인 {len(results)}개 중 {failures}개 실패.")
    if failures:
        sys.exit(1)
