"""What the CSP blocked reaches the merchant: browsers report it to /csp-report (report-uri's
form, and the Reporting API's for a merchant who adds report-to), and it is logged at WARNING with the blocked host,
never the full URLs. While a merchant tries a new PG, CSP_PAYMENT_REPORT_ONLY lets its window
through and reports what the strict list would have blocked."""

import json
import logging

import pytest

from shop.web.security import PAYMENT_HOSTS
from tests.web.test_security_headers import directives, live_app

LEGACY = {
    "csp-report": {
        "document-uri": "https://shop.example/orders/ord_1/pay?method=card",
        "blocked-uri": "https://stdpay.newpg.co.kr/pay?token=secret",
        "effective-directive": "frame-src",
        "violated-directive": "frame-src",
    }
}
REPORTING_API = [
    {
        "type": "csp-violation",
        "url": "https://shop.example/checkout",
        "body": {
            "documentURL": "https://shop.example/checkout?x=1",
            "blockedURL": "https://pay.other-pg.com/window",
            "effectiveDirective": "form-action",
        },
    },
    {"type": "deprecation", "body": {"id": "something"}},
]


def post(client, body, content_type):
    return client.post("/csp-report", data=json.dumps(body), content_type=content_type)


def warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "shop.web.csp_reports"]


def test_a_report_uri_report_is_logged_with_the_blocked_host_only(client, caplog):
    caplog.set_level(logging.WARNING)

    answer = post(client, LEGACY, "application/csp-report")

    assert answer.status_code == 204
    assert warnings(caplog) == [
        "CSP blocked https://stdpay.newpg.co.kr (frame-src) on /orders/ord_1/pay"
    ]
    assert "secret" not in caplog.text and "method=card" not in caplog.text


def test_a_reporting_api_batch_logs_each_violation(client, caplog):
    caplog.set_level(logging.WARNING)

    answer = post(client, REPORTING_API, "application/reports+json")

    assert answer.status_code == 204
    assert warnings(caplog) == ["CSP blocked https://pay.other-pg.com (form-action) on /checkout"]


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        '{"csp-report": "x"}',
        "[]",
        '[{"type": "deprecation", "body": {}}]',
        "[" * 5000 + "]" * 5000,
    ],
)
def test_what_is_not_a_report_is_refused_in_words(client, body, caplog):
    answer = client.post("/csp-report", data=body, content_type="application/csp-report")
    assert answer.status_code == 400
    assert "CSP 보고서 형식이 아닙니다" in answer.get_data(as_text=True)
    assert warnings(caplog) == []


def test_a_body_too_large_is_refused(client):
    answer = client.post("/csp-report", data="x" * 20_000, content_type="application/csp-report")
    assert answer.status_code == 413


def test_reports_are_rate_limited_per_address(app, client):
    app.config["RATELIMIT_CSP_REPORTS"] = "2 per minute"
    answers = [post(client, LEGACY, "application/csp-report").status_code for _ in range(3)]
    assert answers == [204, 204, 429]


def test_every_page_names_where_reports_go(client):
    page = client.get("/")
    assert directives(page)["report-uri"] == ["/csp-report"]
    assert "Content-Security-Policy-Report-Only" not in page.headers


def test_trying_a_new_pg_lets_its_window_through_and_reports_the_strict_list(tmp_path):
    page = live_app(tmp_path, CSP_PAYMENT_REPORT_ONLY=True).test_client().get("/")

    enforced = directives(page)
    assert enforced["frame-src"] == ["'self'", "https:"]
    assert enforced["form-action"] == ["'self'", "https://shop.example", "https:"]
    strict = page.headers["Content-Security-Policy-Report-Only"]
    assert f"frame-src 'self' {' '.join(PAYMENT_HOSTS)};" in strict
    assert "report-uri /csp-report" in strict
