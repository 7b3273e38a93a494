"""Fixtures that run Reclaim's real binaries for tests that drive them from outside."""

import os
import secrets
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
from requests.auth import HTTPDigestAuth

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(os.environ.get("RECLAIM_BIN", ROOT / ".build" / "debug"))
# A real authority bundle (the test vectors' fixed keys), so devices support every recovery mode.
AUTHORITY_BUNDLE = ROOT / "Tests" / "ReclaimCoreTests" / "Vectors" / "recovery-v1" / "authority-bundle.json"
GOOD_PASSWORD = "Tr4mvia-Nord"
OTHER_PASSWORD = "Gall3ria-Sud"


# The platform's tests run on SQLite (the server's default) and, with this set to a
# PostgreSQL socket file (scripts/test sets it), again on PostgreSQL: through the socket,
# because the tests run in a network namespace of their own.
POSTGRES_SOCKET = os.environ.get("RECLAIM_TEST_POSTGRES_SOCKET")


class PlatformDatabase:
    """The database of one test's `reclaim-server`: a fresh PostgreSQL database when
    POSTGRES_SOCKET is set, else the SQLite file in the server's data folder."""

    def __init__(self, data: Path):
        self.data = data
        self.name = None
        self.env = {}
        if POSTGRES_SOCKET:
            self.name = "reclaim_test_" + secrets.token_hex(4)
            self.execute(f"CREATE DATABASE {self.name}", database="postgres")
            self.env = {"RECLAIM_DATABASE_URL": f"postgres+uds://reclaim@localhost{POSTGRES_SOCKET}#{self.name}"}

    @property
    def dialect(self) -> str:
        """As the server's /health names it."""
        return "postgres" if self.name else "sqlite"

    def execute(self, sql: str, database=None):
        """Runs SQL straight on the database, past the server: what a test does to tamper."""
        if self.name:
            folder, _, port = POSTGRES_SOCKET.rpartition("/.s.PGSQL.")
            command = ["psql", "-h", folder, "-p", port, "-U", "reclaim", "-d", database or self.name,
                       "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]
        else:
            command = ["sqlite3", str(self.data / "reclaim.sqlite"), sql]
        subprocess.run(command, check=True, capture_output=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DeviceProcess:
    """One `reclaim-device run` process and what a test needs to talk to it."""

    def __init__(self, data: Path, port: int, extra=()):
        self.data = data
        self.port = port
        self.extra = list(extra)
        self.process = None
        self.base = f"http://127.0.0.1:{port}"

    def start(self, timeout: float = 15.0):
        self.process = subprocess.Popen(
            [str(BIN / "reclaim-device"), "run", "--data", str(self.data), "--http", f"127.0.0.1:{self.port}", *self.extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        deadline = time.monotonic() + timeout
        line = self.process.stdout.readline()
        if "ready on" not in line:
            raise RuntimeError(f"device did not start: {line!r}")
        # The line is printed once the socket listens; check anyway, for slow machines.
        while time.monotonic() < deadline:
            try:
                requests.get(self.base + "/SDK/activateStatus", timeout=1)
                return self
            except requests.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("device does not answer")

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def activate(self, password: str = GOOD_PASSWORD):
        body = f"<ActivateInfo><password>{password}</password></ActivateInfo>"
        reply = requests.put(self.base + "/ISAPI/System/activate", data=body, timeout=10)
        assert reply.status_code == 200, reply.text
        return self

    def get(self, path: str, password: str = GOOD_PASSWORD):
        return requests.get(self.base + path, auth=HTTPDigestAuth("admin", password), timeout=10)

    def post(self, path: str, body: str, password: str = GOOD_PASSWORD):
        return requests.post(self.base + path, data=body, auth=HTTPDigestAuth("admin", password), timeout=10)


@pytest.fixture
def device(tmp_path):
    """A fresh, not activated device with a light hash cost."""
    dev = DeviceProcess(
        tmp_path / "device", free_port(),
        ["--hash-cost", "light", "--authority-bundle", str(AUTHORITY_BUNDLE), "--sadp-port", str(free_port())])
    dev.start()
    yield dev
    dev.stop()


@pytest.fixture
def activated_device(device):
    return device.activate()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test item, so fixtures can tell a failure."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
