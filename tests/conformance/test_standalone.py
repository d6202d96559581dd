"""The sandbox on its own, as a team runs it for a project in any language: create_app() with
its settings from the environment, served at a host's root on a real socket; then the same
through `flask run` and gunicorn in a subprocess."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from flask import Flask
from iamport import Iamport

from iamport_sandbox import create_app, database_path
from tests.conformance.conftest import pay_in_the_window
from tests.helpers import free_port, wait_until_up
from tests.live_server import serving
from tests.sandbox.webhook_receiver import Receiver, wait_for
from tests.spec_check import spec_checked

REPOSITORY = Path(__file__).resolve().parents[2]
ENVIRONMENT = {
    "SANDBOX_IMP_KEY": "team_key",
    "SANDBOX_IMP_SECRET": "team_secret",
    "SANDBOX_MERCHANT_CODE": "imp12345678",
    "SANDBOX_MERCHANT_NAME": "팀 테스트 상점",
    "SANDBOX_WEBHOOK_FORMAT": "form",
}


@pytest.fixture
def receiver():
    with Receiver() as receiver:
        yield receiver


@pytest.fixture
def environment(tmp_path, receiver, monkeypatch):
    values = ENVIRONMENT | {
        "SANDBOX_DATABASE": str(tmp_path / "team.sqlite"),
        "SANDBOX_WEBHOOK_URL": receiver.url,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@pytest.fixture
def standalone(environment):
    app = create_app()
    yield from spec_checked(app, app)


@pytest.fixture
def base_url(standalone):
    """The standalone sandbox at the root of http://127.0.0.1:PORT/."""
    with serving(standalone) as url:
        yield url + "/"


@pytest.fixture
def client(base_url, environment):
    client = Iamport(environment["SANDBOX_IMP_KEY"], environment["SANDBOX_IMP_SECRET"], base_url)
    yield client
    client.requests_session.close()


def test_settings_come_from_the_environment(standalone, environment):
    for name, value in environment.items():
        assert standalone.config[name] == value
    assert standalone.extensions["sandbox"].path == environment["SANDBOX_DATABASE"]


def test_an_empty_variable_keeps_the_default(environment, monkeypatch):
    monkeypatch.setenv("SANDBOX_MERCHANT_NAME", "")

    assert create_app().config["SANDBOX_MERCHANT_NAME"] == "데모 상점"


def test_an_unknown_webhook_format_stops_the_start(environment, monkeypatch):
    monkeypatch.setenv("SANDBOX_WEBHOOK_FORMAT", "xml")

    with pytest.raises(ValueError, match="SANDBOX_WEBHOOK_FORMAT"):
        create_app()


def test_without_sandbox_database_the_file_is_in_the_instance_folder(tmp_path):
    app = Flask("standalone", instance_path=str(tmp_path / "instance"))
    app.config["SANDBOX_DATABASE"] = None

    assert database_path(app) == str(tmp_path / "instance" / "sandbox.sqlite")
    assert (tmp_path / "instance").is_dir()


def test_script_and_console_are_served_at_the_root(base_url):
    script = requests.get(base_url + "iamport.payment.js", timeout=10)
    console = requests.get(base_url, timeout=10)

    assert script.status_code == 200
    assert "javascript" in script.headers["Content-Type"]
    assert "window.IMP" in script.text
    assert console.status_code == 200
    assert "아임포트 샌드박스" in console.text


def test_get_token_takes_the_keys_from_the_environment_only(base_url, environment):
    url = base_url + "users/getToken"
    team = {"imp_key": environment["SANDBOX_IMP_KEY"], "imp_secret": "team_secret"}
    default = {"imp_key": "sandbox_key", "imp_secret": "sandbox_secret"}

    issued = requests.post(url, json=team, timeout=10)
    refused = requests.post(url, json=default, timeout=10)

    assert issued.status_code == 200
    assert issued.json()["response"]["access_token"]
    assert refused.status_code == 401


def test_the_official_client_prepares_finds_and_cancels(base_url, client, environment, receiver):
    client.prepare("team-order-1", 15000)
    imp_uid = pay_in_the_window(
        base_url, "team-order-1", 15000, environment["SANDBOX_MERCHANT_CODE"]
    )

    payment = client.find(imp_uid=imp_uid)
    paid = client.is_paid(15000, merchant_uid="team-order-1")
    cancelled = client.cancel("고객 변심", imp_uid=imp_uid, amount=5000)

    assert client.prepare_validate("team-order-1", 15000) is True
    assert paid is True
    assert payment["status"] == "paid"
    assert payment["receipt_url"] == f"{base_url}slips/{imp_uid}"
    assert requests.get(payment["receipt_url"], timeout=10).status_code == 200
    assert cancelled["cancel_amount"] == 5000
    webhook = wait_for(lambda: receiver.received)[0]
    assert webhook["content_type"] == "application/x-www-form-urlencoded"
    assert webhook["fields"] == {
        "imp_uid": imp_uid,
        "merchant_uid": "team-order-1",
        "status": "paid",
    }


def test_the_window_refuses_another_merchant_code(base_url):
    params = {"merchant_uid": "team-order-2", "amount": 1000}
    form = {"merchant_code": "imp00000000", "params": json.dumps(params), "mode": "iframe"}

    response = requests.post(base_url + "window", data=form, allow_redirects=False, timeout=10)

    assert response.status_code == 200
    assert "F0010" in response.text


# The same app started the ways the README tells a team to start it


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def serve(command: list[str], environment: dict, port: int, log: Path):
    """Start the server, yield its URL once it answers, stop it; its output goes to `log`."""
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=REPOSITORY, env=os.environ | environment, stdout=output, stderr=output
        )
        base_url = f"http://127.0.0.1:{port}/"
        try:
            wait_until_up(base_url + "iamport.payment.js", process, log)
            yield base_url
        finally:
            stop(process)


@pytest.fixture
def flask_run(environment, tmp_path):
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "flask",
        "--app",
        "iamport_sandbox",
        "run",
        "--port",
        str(port),
    ]
    yield from serve(command, environment, port, tmp_path / "flask.log")


@pytest.fixture
def gunicorn(environment, tmp_path):
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("gunicorn is not installed")
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        "2",
        "-b",
        f"127.0.0.1:{port}",
        "iamport_sandbox:create_app()",
    ]
    yield from serve(command, environment, port, tmp_path / "gunicorn.log")


@pytest.mark.slow  # `flask run` in a subprocess
def test_flask_run_serves_the_sandbox_with_the_environments_keys(flask_run, environment):
    client = Iamport(environment["SANDBOX_IMP_KEY"], environment["SANDBOX_IMP_SECRET"], flask_run)

    client.prepare("flask-run-order", 1004)

    assert client.prepare_validate("flask-run-order", 1004) is True
    client.requests_session.close()


@pytest.mark.slow  # gunicorn in a subprocess
def test_two_gunicorn_workers_share_tokens_and_payments(gunicorn, environment):
    """Fresh connections land on either worker; both know the same token and registrations."""
    keys = {"imp_key": "team_key", "imp_secret": "team_secret"}
    tokens = set()
    for number in range(8):
        with requests.Session() as fresh:
            token = fresh.post(gunicorn + "users/getToken", data=keys, timeout=10).json()
            tokens.add(token["response"]["access_token"])
            headers = {"Authorization": f"Bearer {token['response']['access_token']}"}
            prepared = fresh.post(
                gunicorn + "payments/prepare",
                json={"merchant_uid": f"gunicorn-{number}", "amount": 1000 + number},
                headers=headers,
                timeout=10,
            )
            assert prepared.json()["code"] == 0
    client = Iamport("team_key", "team_secret", gunicorn)

    assert len(tokens) == 1
    assert all(client.prepare_validate(f"gunicorn-{n}", 1000 + n) for n in range(8))
    client.requests_session.close()


def test_head_and_options_over_a_socket(base_url, environment):
    keys = {"imp_key": environment["SANDBOX_IMP_KEY"], "imp_secret": "team_secret"}
    token = requests.post(base_url + "users/getToken", json=keys, timeout=10).json()["response"]
    headers = {"Authorization": token["access_token"]}
    prepared = {"merchant_uid": "team-order-3", "amount": 3000}
    requests.post(base_url + "payments/prepare", json=prepared, headers=headers, timeout=10)
    url = base_url + "payments/prepare/team-order-3"

    got = requests.get(url, headers=headers, timeout=10)
    head = requests.head(url, headers=headers, timeout=10)
    anonymous = requests.head(url, timeout=10)
    options = requests.options(base_url + "payments/prepare", timeout=10)

    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["Content-Length"] == str(len(got.content))
    assert anonymous.status_code == 401
    assert options.status_code in (200, 204)
    assert {"POST", "PUT"} <= {method.strip() for method in options.headers["Allow"].split(",")}


def test_the_official_client_revokes_an_account_issued_by_the_api(base_url, client, environment):
    keys = {"imp_key": environment["SANDBOX_IMP_KEY"], "imp_secret": "team_secret"}
    token = requests.post(base_url + "users/getToken", json=keys, timeout=10).json()["response"]
    account = {
        "merchant_uid": "team-vbank-1",
        "amount": 12000,
        "vbank_code": "088",
        "vbank_due": int(time.time()) + 86400,
        "vbank_holder": "팀 테스트 상점",
    }
    issued = requests.post(
        base_url + "vbanks",
        json=account,
        headers={"Authorization": token["access_token"]},
        timeout=10,
    ).json()["response"]

    revoked = client.revoke_vbank_by_imp_uid(issued["imp_uid"])

    assert revoked["imp_uid"] == issued["imp_uid"]
    assert revoked["status"] == "cancelled"
    assert client.find(imp_uid=issued["imp_uid"]) == revoked
