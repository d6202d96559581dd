"""tests/helpers.py's readiness wait: a server that accepts a connection but does not answer
yet (requests' ReadTimeout) is "not yet", never an error of the test that waits for it."""

import socket
import threading

import pytest

from tests import helpers
from tests.helpers import wait_until_up

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
SERVER_SECONDS = 10  # bound on every socket operation of the fake server


class StillRunning:
    """A server process that has not exited."""

    returncode = None

    def poll(self):
        return None


@pytest.fixture
def listener():
    """A socket listening on 127.0.0.1: connections complete, nothing answers unless told."""
    with socket.create_server((helpers.HOST, 0)) as server:
        server.settimeout(SERVER_SECONDS)
        yield server


def url_of(listener) -> str:
    return f"http://{helpers.HOST}:{listener.getsockname()[1]}/healthz"


def test_a_read_timeout_is_not_yet_and_the_wait_goes_on(listener, tmp_path, monkeypatch):
    monkeypatch.setattr(helpers, "REQUEST_SECONDS", 0.2)
    first_left_unanswered = threading.Event()

    def booting_then_ready():
        first, _ = listener.accept()
        with first:
            first.settimeout(SERVER_SECONDS)
            while first.recv(65536):  # read, never answer, until the client gives up
                pass
        first_left_unanswered.set()
        second, _ = listener.accept()
        with second:
            second.settimeout(SERVER_SECONDS)
            second.recv(65536)
            second.sendall(ANSWER)

    server = threading.Thread(target=booting_then_ready, daemon=True)
    server.start()

    wait_until_up(url_of(listener), StillRunning(), tmp_path / "server.log", timeout=10)

    assert first_left_unanswered.is_set()
    server.join(SERVER_SECONDS)


def test_a_server_that_never_answers_fails_the_test_at_the_deadline(listener, tmp_path):
    log = tmp_path / "server.log"
    log.write_text("booting\n")

    with pytest.raises(pytest.fail.Exception, match=r"(?s)nothing answered 200.*booting"):
        wait_until_up(url_of(listener), StillRunning(), log, timeout=0.5)


def test_a_server_that_exits_fails_the_test_with_its_log(tmp_path):
    class Exited(StillRunning):
        returncode = 3

        def poll(self):
            return self.returncode

    log = tmp_path / "server.log"
    log.write_text("Traceback: no app\n")

    with pytest.raises(pytest.fail.Exception, match=r"(?s)exited with 3.*no app"):
        wait_until_up("http://127.0.0.1:9/", Exited(), log, timeout=5)
