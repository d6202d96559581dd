"""The machine a run measured on: what its figures depend on."""

import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("gunicorn", "Flask", "Werkzeug", "SQLAlchemy", "psycopg", "Jinja2")


def facts(databases: dict[str, str], load_before: tuple[float, ...]) -> list[tuple[str, str]]:
    """What the figures depend on, as (label, value); `load_before` is the load average
    before the run (other work on this machine skews the figures)."""
    now = datetime.now(UTC).astimezone()
    return [
        ("date", now.strftime("%Y-%m-%d %H:%M %Z (UTC%z)")),
        ("CPU", f"{cpu_model()} × {os.cpu_count()} logical CPUs"),
        ("RAM", f"{mem_total_gib():.1f} GiB"),
        ("OS", f"{os_name()}, kernel {platform.release()} ({platform.machine()})"),
        ("Python", platform.python_version()),
        ("packages", ", ".join(f"{name} {version(name)}" for name in PACKAGES)),
        ("wrk", wrk_version()),
        *databases.items(),
        ("shop", shop_revision()),
        ("load before", "load average {:.2f} {:.2f} {:.2f} (1, 5, 15 min)".format(*load_before)),
    ]


def cpu_model() -> str:
    for line in read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def mem_total_gib() -> float:
    for line in read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def os_name() -> str:
    for line in read("/etc/os-release").splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip('"')
    return platform.system()


def wrk_version() -> str:
    done = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    return (done.stdout or done.stderr).splitlines()[0].split(" Copyright")[0]


def shop_revision() -> str:
    """The commit, and whether the working tree differs from it (others may be editing)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    changed = len(git("status", "--porcelain", "--untracked-files=no").splitlines())
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (f" + {changed} changed files in the working tree" if changed else "")


def read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""
