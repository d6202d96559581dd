"""How the sandbox reads a request line before any view runs, as an API server in front of
PortOne's would: ids that are never reserved path words, authentication before the method
check, and HEAD and OPTIONS.

HEAD needs nothing here: Flask answers it for every GET route by running the GET view, and the
WSGI server leaves the body out (Content-Length stays), after the same authentication as GET.
OPTIONS is answered by Flask with 200, an empty body and an Allow header naming the route's
methods; api.py lets it through without a token, as a CORS preflight never carries one.
"""

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import BaseConverter

from . import rest
from .current import store

# The fixed words of PortOne's paths that sit where an id can stand: /payments/cancel,
# /payments/prepare, /payments/find/..., /payments/findAll/..., /payments/status/...,
# /vbanks/holder, /receipts/external/... A path like GET /payments/cancel is about the cancel
# route, never about a payment whose imp_uid is "cancel".
RESERVED_WORDS = ("cancel", "prepare", "find", "findAll", "status", "holder", "external")


class IdConverter(BaseConverter):
    """One path segment that is not a reserved word: `<id:imp_uid>` in a rule.

    Werkzeug matches each segment on its own (part_isolating, which it would turn off by
    itself for a regex that mentions a slash); the lookahead ends the word at the segment's end.
    """

    regex = rf"(?!(?:{'|'.join(RESERVED_WORDS)})(?![^/]))[^/]+"
    part_isolating = True


def install(app: Flask) -> None:
    """Register the converter (before any blueprint uses it) and the authentication hook."""
    app.url_map.converters["id"] = IdConverter
    app.before_request(authenticate_before_method_check)


def authenticate_before_method_check():
    """An unauthenticated request to a REST path with the wrong method gets 401, not 405.

    Flask raises the 405 only when it dispatches, after the app's before_request hooks, and the
    api blueprint's own token check never runs for a request no route took; this hook does it.
    """
    error = request.routing_exception
    if not isinstance(error, MethodNotAllowed) or request.method == "OPTIONS":
        return None
    if not is_rest_path(error.valid_methods or ()):
        return None
    if store().token_is_valid(rest.presented_token()):
        return None
    return rest.failure("Unauthorized", 401)


def is_rest_path(methods) -> bool:
    """Whether the path belongs to a REST endpoint that needs a token with one of `methods`."""
    return any(
        endpoint.startswith("api.") and endpoint != "api.get_token"
        for endpoint in endpoints(methods)
    )


def blueprint_of_path() -> str | None:
    """The blueprint of the request, or of the routes its path has when its method has none,
    so a page answered 405 is still a page."""
    if request.blueprint or not isinstance(request.routing_exception, MethodNotAllowed):
        return request.blueprint
    found = endpoints(request.routing_exception.valid_methods or ())
    return next((endpoint.partition(".")[0] for endpoint in found if "." in endpoint), None)


def endpoints(methods):
    """The endpoints the request's path leads to with each of `methods`."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    for method in methods:
        try:
            endpoint, _ = adapter.match(method=method)
        except HTTPException:
            continue
        yield endpoint
