"""Error pages (and JSON errors for JSON requests), registered in one place."""

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from shop.core.extensions import db

MESSAGES = {
    400: "요청을 처리할 수 없습니다. 입력한 내용을 확인해 주세요.",
    404: "찾으시는 페이지가 없습니다.",
    405: "허용되지 않는 요청 방식입니다.",
    413: "요청이 너무 큽니다.",
    429: "요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.",
    500: "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.",
}


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, csrf_failed)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(InternalServerError, server_error)


def csrf_failed(error: CSRFError):
    return respond(
        400, "보안 토큰이 만료되었거나 올바르지 않습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요."
    )


def http_error(error: HTTPException):
    """Our words for the statuses we know; werkzeug's for the rest."""
    if error.code in MESSAGES:
        return respond(error.code, MESSAGES[error.code])
    return respond(error.code or 500, error.description or error.name)


def server_error(error: InternalServerError):
    db.session.rollback()
    return respond(500, MESSAGES[500])


def wants_json() -> bool:
    """A script asked (jQuery.ajax with dataType json), not a page load."""
    return request.is_json or request.accept_mimetypes.best == "application/json"


def respond(status: int, message: str):
    if wants_json():
        return jsonify(status="error", message=message), status
    return render_template("error.html", status=status, message=message), status
