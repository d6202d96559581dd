"""Start and stop gunicorn on 127.0.0.1 for a WSGI app in this repository."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
CONFIG = Path(__file__).with_name("gunicorn.conf.py")  # sync workers, no access log
SHOP_CONFIG = ROOT / "gunicorn.conf.py"  # the README's: threads beside the workers
START_SECONDS = 60


class Server:
    """`target` is gunicorn's module:app; `environment` replaces this process's entirely. The
    server listens at its SHOP_URL when it has one (the shop must know its own address)."""

    def __init__(
        self,
        target: str,
        environment: dict[str, str],
        workers: int,
        log: Path,
        config: Path = CONFIG,
    ):
        self.target, self.environment, self.workers, self.log = target, environment, workers, log
        self.config = config
        self.url = environment.get("SHOP_URL") or f"http://127.0.0.1:{free_port()}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(self.config),
            "--workers",
            str(self.workers),
            "--bind",
            self.url.removeprefix("http://"),
            self.target,
        ]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.environment, stdout=output, stderr=subprocess.STDOUT
            )
        self.wait_until_up()
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(15)

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.target} exited:\n{self.log_tail()}")
            try:
                if requests.get(self.url + "/", timeout=5).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn {self.target} did not answer:\n{self.log_tail()}")

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_environment() -> dict[str, str]:
    """This process's environment without any shop setting a developer may have exported."""
    from shop.core.settings import ENV_SETTINGS

    return {name: value for name, value in os.environ.items() if name not in ENV_SETTINGS}
