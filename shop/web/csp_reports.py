"""Where browsers report what the Content-Security-Policy blocked (shop.web.security): a PG
window's host missing from PAYMENT_HOSTS blocks the payment in production, and this is how the
merchant hears of it. Each report is logged at WARNING with the blocked host, the directive and
the page's path; never the full URLs, whose query strings may carry an order's details.

The policy names this route with `report-uri`, whose `application/csp-report` body is
`{"csp-report": {"blocked-uri", "effective-directive", "document-uri"}}`. A merchant who adds
`report-to` (a Reporting-Endpoints header naming this URL) gets the Reporting API's
`application/reports+json` list read too (`[{"type": "csp-violation", "body": {"blockedURL",
"effectiveDirective", "documentURL"}}]`), as the CSP Level 3 and Reporting API drafts define.
"""

import logging
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from flask import Blueprint, request

from iamport_sandbox.webguard import loads
from shop.core.extensions import csrf, limit_setting, limiter
from shop.web.inputs import reads_json

log = logging.getLogger(__name__)
bp = Blueprint("csp", __name__)

MAX_BODY = 16 * 1024  # a report is a few hundred bytes; a browser may batch a few
MAX_REPORTS = 10  # of one batch, the rest are dropped


class Violation(NamedTuple):
    blocked: str  # the blocked host, or the keyword ("inline", "eval")
    directive: str
    page: str  # the path of the page it happened on


@bp.post("/csp-report")
@reads_json  # application/reports+json is JSON; csp-report is too, read the same strict way
@csrf.exempt  # browsers send reports without the page's token
@limiter.limit(limit_setting("RATELIMIT_CSP_REPORTS"))
def report():
    if (request.content_length or 0) > MAX_BODY:
        return "보고서가 너무 큽니다.", 413
    violations = read(request.get_data(cache=False, as_text=True)[:MAX_BODY])
    if violations is None:
        return "CSP 보고서 형식이 아닙니다.", 400
    for violation in violations[:MAX_REPORTS]:
        log.warning(
            "CSP blocked %s (%s) on %s", violation.blocked, violation.directive, violation.page
        )
    return "", 204


def read(text: str) -> list[Violation] | None:
    """The violations a body reports; None when it is neither form."""
    try:
        body = loads(text)
    except ValueError:  # malformed, nested too deep, or text no log should carry
        return None
    if isinstance(body, dict) and isinstance(body.get("csp-report"), dict):
        return [legacy(body["csp-report"])]
    if isinstance(body, list):
        found = [reported(item["body"]) for item in body if is_violation(item)]
        return found or None
    return None


def is_violation(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and item.get("type") == "csp-violation"
        and isinstance(item.get("body"), dict)
    )


def legacy(fields: dict[str, Any]) -> Violation:
    directive = fields.get("effective-directive") or fields.get("violated-directive")
    return violation(fields.get("blocked-uri"), directive, fields.get("document-uri"))


def reported(fields: dict[str, Any]) -> Violation:
    directive = fields.get("effectiveDirective")
    return violation(fields.get("blockedURL"), directive, fields.get("documentURL"))


def violation(blocked: Any, directive: Any, document: Any) -> Violation:
    return Violation(host_of(blocked), short(directive), urlsplit(short(document)).path or "-")


def host_of(url: Any) -> str:
    """`https://pay.example.com/x?y` → `https://pay.example.com`; a keyword stays as it is."""
    text = short(url)
    parts = urlsplit(text)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else text or "-"


def short(value: Any) -> str:
    return value[:200] if isinstance(value, str) else ""
