"""GET /users/pg, /banks, /banks/{code}, /cards and /cards/{code}: the account's PG channels and
the standard codes, in the spec's envelopes (each answer is also checked by the app fixture's
spec check)."""

import pytest

from iamport_sandbox import banks, cards, codes
from iamport_sandbox.app import create_sandbox_app
from tests import spec_check


def test_pg_channels_are_the_sandbox_pgs_in_test_mode(client, auth, validate):
    response = client.get("/users/pg", headers=auth)

    assert response.status_code == 200
    validate(response.json, "MultiplePgSettingResponse")
    channels = response.json["response"]
    assert [channel["pg_provider"] for channel in channels] == list(codes.DEFAULT_CHANNELS)
    assert all(channel["sandbox"] and channel["type"] == "payment" for channel in channels)


@pytest.mark.parametrize("configured", ["nice_v2.MID1, kakaopay", ("nice_v2.MID1", "kakaopay")])
def test_pg_channels_come_from_the_setting(tmp_path, configured):
    app = create_sandbox_app(
        {"SANDBOX_DATABASE": str(tmp_path / "s.sqlite"), "SANDBOX_PG_CHANNELS": configured}
    )
    checks = spec_check.spec_checked(app, app)
    client = next(checks).test_client()  # type: ignore[attr-defined]
    issued = client.post(
        "/users/getToken", json={"imp_key": "sandbox_key", "imp_secret": "sandbox_secret"}
    )
    headers = {"Authorization": issued.json["response"]["access_token"]}

    channels = client.get("/users/pg", headers=headers).json["response"]

    assert [(c["pg_provider"], c["pg_id"]) for c in channels] == [
        ("nice_v2", "MID1"),
        ("kakaopay", "sandbox_kakaopay"),
    ]
    next(checks, None)


@pytest.mark.parametrize(("path", "table"), [("/banks", banks.BANKS), ("/cards", cards.CARDS)])
def test_code_lists_are_every_known_code(client, auth, validate, path, table):
    response = client.get(path, headers=auth)

    assert response.status_code == 200
    validate(response.json, "StandardCodeListResponse")
    assert {item["code"]: item["name"] for item in response.json["response"]} == table


@pytest.mark.parametrize(
    ("path", "code", "name"),
    [
        ("/banks/004", "004", "KB국민은행"),
        ("/banks/88", "088", "신한은행"),
        ("/cards/366", "366", "신한카드"),
        ("/cards/10005", "10005", "해외비자카드"),
    ],
)
def test_one_code_is_looked_up(client, auth, validate, path, code, name):
    response = client.get(path, headers=auth)

    assert response.status_code == 200
    validate(response.json, "StandardCodeResponse")
    assert response.json["response"] == {"code": code, "name": name}


@pytest.mark.parametrize(
    ("path", "message"),
    [("/banks/999", codes.UNKNOWN_BANK), ("/cards/999", codes.UNKNOWN_CARD)],
)
def test_an_unknown_code_is_404(client, auth, path, message):
    response = client.get(path, headers=auth)

    assert response.status_code == 404
    assert response.json == {"code": -1, "message": message, "response": None}


@pytest.mark.parametrize("path", ["/users/pg", "/banks", "/banks/004", "/cards", "/cards/366"])
def test_lookups_need_a_token(client, path):
    response = client.get(path)

    assert response.status_code == 401
    assert response.json["response"] is None
