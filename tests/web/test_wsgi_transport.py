"""The in-process transport behaves like HTTP: headers, bodies, status codes and timeouts."""

import gzip
import time

import pytest
import requests
from flask import Flask, jsonify, request

from shop.web.wsgi_transport import WSGIAdapter


@pytest.fixture
def session():
    app = Flask("echo")

    @app.route("/echo/<path:rest>", methods=["GET", "POST"])
    def echo(rest):
        return jsonify(
            path=request.path,
            script_root=request.script_root,
            query=request.args.to_dict(flat=False),
            json=request.get_json(silent=True),
            form=request.form.to_dict(),
            authorization=request.headers.get("Authorization"),
        ), 201

    @app.get("/gzipped")
    def gzipped():
        body = gzip.compress(b'{"code": 0}')
        return body, {"Content-Encoding": "gzip", "Content-Type": "application/json"}

    @app.get("/slow")
    def slow():
        time.sleep(0.5)
        return "late"

    http = requests.Session()
    http.mount("http://gateway.test/mount/", WSGIAdapter(app, "/mount"))
    return http


def test_a_json_request_arrives_as_it_was_sent(session):
    response = session.post(
        "http://gateway.test/mount/echo/a%2Fb?x=1&x=2",
        json={"amount": 64900},
        headers={"Authorization": "token"},
    )
    assert response.status_code == 201
    assert response.json() == {
        "path": "/echo/a/b",
        "script_root": "/mount",
        "query": {"x": ["1", "2"]},
        "json": {"amount": 64900},
        "form": {},
        "authorization": "token",
    }


def test_a_form_request_arrives_as_a_form(session):
    response = session.post("http://gateway.test/mount/echo/f", data={"imp_key": "k"})
    assert response.json()["form"] == {"imp_key": "k"}


def test_a_gzipped_answer_is_unpacked_as_over_a_socket(session):
    assert session.get("http://gateway.test/mount/gzipped").json() == {"code": 0}


def test_an_answer_later_than_the_read_timeout_is_a_read_timeout(session):
    with pytest.raises(requests.ReadTimeout):
        session.get("http://gateway.test/mount/slow", timeout=(1, 0.1))
    assert session.get("http://gateway.test/mount/slow", timeout=(1, 2)).text == "late"
