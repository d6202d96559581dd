"""What the shop accepts from a request before any view sees it.

Hostile input must end in a 4xx, never in a 500 from the database or the JSON parser: JSON is
read strictly (iamport_sandbox.webguard says how; the sandbox reads it the same way) and only by
the views that read it (`@reads_json`; Flask-WTF would fill a form from a JSON body, numbers and
lists where its fields expect text); query strings, forms and paths with NUL or a lone surrogate
are refused with 400; a row id that no table can hold is a 404 before the database is asked.
"""

from flask import Flask, abort, current_app, flash, request
from werkzeug.routing import IntegerConverter

from iamport_sandbox.webguard import StrictJSONProvider, check_text

# An Integer primary key's range on PostgreSQL (SERIAL); SQLite's is wider, never used.
MAX_ROW_ID = 2**31 - 1
REFUSED_TEXT = "요청에 사용할 수 없는 문자(NUL 또는 짝이 없는 서로게이트)가 들어 있습니다."
NOT_JSON_HERE = "이 주소는 JSON 본문을 받지 않습니다. 폼으로 보내 주세요."


def register(app: Flask) -> None:
    """Before the blueprints: their rules use the `row_id` converter."""
    app.json = StrictJSONProvider(app)
    app.url_map.converters["row_id"] = RowIdConverter
    app.before_request(refuse_json_where_unread)
    app.before_request(refuse_unusable_text)


def reads_json(view):
    """Mark a view that reads a JSON body; any other view answers one with 415."""
    view.reads_json = True
    return view


def refuse_json_where_unread():
    if request.routing_exception is not None:
        return  # no route takes the request: its 404 or 405 comes first
    view = current_app.view_functions.get(request.endpoint)
    submitted = request.method in ("POST", "PUT", "PATCH", "DELETE")  # as Flask-WTF has it
    if submitted and request.is_json and not getattr(view, "reads_json", False):
        abort(415, NOT_JSON_HERE)


class RowIdConverter(IntegerConverter):
    """`<row_id:product_id>`: a positive integer a table can hold; any other is a 404."""

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, min=1, max=MAX_ROW_ID)


def refuse_unusable_text():
    """Werkzeug decodes query strings, forms and paths with replacement characters, so only
    NUL gets through to here in practice; the surrogate check costs nothing."""
    texts = list((request.view_args or {}).values())
    for fields in (request.args, request.form):
        for key, value in fields.items(multi=True):
            texts += (key, value)
    try:
        for text in texts:
            if isinstance(text, str):
                check_text(text)
    except ValueError:
        abort(400, REFUSED_TEXT)


def flash_errors(form) -> None:
    """A form's errors, each said once above the page the user is sent back to."""
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")
