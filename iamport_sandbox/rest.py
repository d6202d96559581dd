"""What every REST answer and request shares: PortOne's JSON envelope, and the body and token a
request brings. The REST routes (api.py and the modules that join its blueprint), the
switchboard's faults (switchboard.py), the method check (routing.py) and the app's error pages
all answer in this envelope, so it has a module of its own that none of them needs the others
for."""

import json

from flask import Response, request


def envelope(
    response: object = None, code: int = 0, message: str | None = None, status: int = 200
) -> Response:
    # Sorted keys and \u-escaped Korean, as the live API writes its JSON.
    body = json.dumps({"code": code, "message": message, "response": response}, sort_keys=True)
    return Response(body, status, content_type="application/json; charset=UTF-8")


def failure(message: str, status: int, code: int = -1) -> Response:
    return envelope(code=code, message=message, status=status)


class Refusal(Exception):
    """A request PortOne refuses with an HTTP status and a message in its envelope (code -1);
    a route raises it anywhere and api.py answers it, so a store's transaction rolls back."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def refused(refusal: Refusal) -> Response:
    return failure(refusal.message, refusal.status)


def body() -> dict:
    """Fields of a JSON or a form body: PortOne accepts both."""
    if request.is_json:
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else {}
    return request.form.to_dict()


def presented_token() -> str | None:
    token = request.headers.get("Authorization") or request.headers.get("X-ImpTokenHeader")
    if token and token[:7].lower() == "bearer ":
        token = token[7:]
    return token.strip() if token else None
