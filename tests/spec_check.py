"""Every JSON answer of a sandbox app, checked against PortOne's official V1 spec.

The spec is Swagger 2.0 and says less than the live API does: `adapt_to_live_api` makes its
definitions say what the live API sends, and `response_schema` adds the envelope rules that
Swagger 2.0 cannot express (a refusal's `response` is null, a success's `message` is null).
"""

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import jsonschema
from flask import Flask, Response, request

# PortOne's official V1 spec, reduced to what these checks act on: names, types, required
# fields, enums and response schemas (contract/README.md says how to refresh it).
SPEC_PATH = Path(__file__).parent / "contract" / "portone_v1.json"

ENVELOPE = {
    "type": "object",
    "required": ["code", "message", "response"],
    "properties": {"code": {"type": "integer"}, "message": {"type": ["string", "null"]}},
}
SUCCESS = {
    "allOf": [ENVELOPE, {"properties": {"code": {"enum": [0]}, "message": {"type": "null"}}}]
}
REFUSAL = {
    "allOf": [
        ENVELOPE,
        {"properties": {"code": {"not": {"enum": [0]}}, "response": {"type": "null"}}},
    ]
}

FLASK_PARAMETER = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")
SPEC_PARAMETER = re.compile(r"\{[^{}]+\}")


def adapt_to_live_api(schema: dict) -> None:
    """Make the Swagger 2.0 definitions say what the live API sends.

    Swagger 2.0 cannot mark a property nullable, yet PortOne sends null for every unset string
    and for card_type (its description says so); the spec also writes maxLength as strings.
    """
    for name, prop in schema.get("properties", {}).items():
        if isinstance(prop.get("maxLength"), str):
            prop["maxLength"] = int(prop["maxLength"])
        if prop.get("type") == "string" or name == "card_type":
            prop["type"] = [prop["type"], "null"]
        adapt_to_live_api(prop)


@cache
def spec() -> dict:
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    for definition in spec["definitions"].values():
        adapt_to_live_api(definition)
        if "properties" in definition:
            definition.setdefault("type", "object")
    # The spec gives the prepare object the required list of a paged list: a copy-paste slip.
    spec["definitions"]["PaymentPrepareAnnotation"]["required"] = [
        "merchant_uid",
        "amount",
        "currency",
    ]
    return spec


def definitions() -> dict:
    return spec()["definitions"]


def errors(instance: object, schema: dict) -> list[str]:
    validator = jsonschema.Draft4Validator(schema | {"definitions": definitions()})
    return [error.message for error in validator.iter_errors(instance)]


def validate(instance: object, definition: str) -> None:
    """Raise jsonschema.ValidationError unless the instance fits the named definition."""
    schema = {"$ref": f"#/definitions/{definition}", "definitions": definitions()}
    jsonschema.Draft4Validator(schema).validate(instance)


def shape(path: str) -> str:
    """A path template with its parameter names left out: /payments/{}/balance."""
    return SPEC_PARAMETER.sub("{}", FLASK_PARAMETER.sub(r"{\1}", path)).rstrip("/") or "/"


@cache
def operations() -> dict[tuple[str, str], dict]:
    """The spec's operations by method and path shape.

    The spec writes an optional last path parameter (/payments/find/{merchant_uid}/{payment_status})
    where Flask needs two rules, so the shorter path is listed too.
    """
    found: dict[tuple[str, str], dict] = {}
    for exact in (False, True):
        for path, item in spec()["paths"].items():
            shorter, _, last = path.rpartition("/")
            for method, operation in item.items():
                if exact:
                    found[(method.upper(), shape(path))] = operation
                elif is_optional_parameter(operation, last):
                    found[(method.upper(), shape(shorter))] = operation
    return found


def is_optional_parameter(operation: dict, segment: str) -> bool:
    return any(
        parameter["in"] == "path"
        and f"{{{parameter['name']}}}" == segment
        and not parameter.get("required", False)
        for parameter in operation.get("parameters", [])
    )


def response_schema(method: str, rule: str | None, status: int, body: object) -> dict:
    """What an answer must fit: a refusal's envelope for errors and for a code other than 0,
    else the envelope of a success and the schema the spec declares for the status, if any."""
    if status >= 400 or not isinstance(body, dict) or body.get("code") != 0:
        return REFUSAL
    operation = operations().get((method, shape(rule))) if rule else None
    declared = (operation or {}).get("responses", {}).get(str(status), {}).get("schema")
    return {"allOf": [SUCCESS, declared]} if declared else SUCCESS


class SpecCheck:
    """An after_request hook that checks each REST answer of the app it is registered on.

    REST answers are the JSON answers of the `api` blueprint, of the spec's paths and of
    requests no route matched; what fails to fit the spec is collected in `violations`.
    """

    def __init__(self, app: Flask) -> None:
        if app._got_first_request:
            raise RuntimeError("register the spec check before the app handles its first request")
        self.violations: list[str] = []
        app.after_request(self)

    def __call__(self, response: Response) -> Response:
        if response.mimetype == "application/json" and self.is_rest_route():
            self.violations.extend(self.check(response))
        return response

    @staticmethod
    def is_rest_route() -> bool:
        rule = request.url_rule
        return (
            rule is None
            or request.blueprint == "api"
            or (request.method, shape(rule.rule)) in operations()
        )

    @staticmethod
    def check(response: Response) -> list[str]:
        answer = f"{request.method} {request.full_path.rstrip('?')} → {response.status_code}"
        try:
            body = json.loads(response.get_data())
        except ValueError as error:
            return [f"{answer}: not JSON ({error})"]
        rule = request.url_rule.rule if request.url_rule else None
        schema = response_schema(request.method, rule, response.status_code, body)
        return [f"{answer}: {message}" for message in errors(body, schema)]


def spec_checked(value: object, sandbox_app: Flask | None) -> Iterator[object]:
    """For fixtures: `yield from spec_checked(app, sandbox_app)` yields the app and, at
    teardown, fails if any answer of the sandbox app broke the spec. None checks nothing."""
    check = SpecCheck(sandbox_app) if sandbox_app is not None else None
    yield value
    assert check is None or not check.violations, "answers that break the V1 spec:\n" + "\n".join(
        check.violations
    )
