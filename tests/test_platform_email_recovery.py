"""Reserved-e-mail recovery (flow F4) end to end, as people meet it.

A real `reclaim-server` mails through a real SMTP server (aiosmtpd, STARTTLS with a
certificate of the test's own authority, AUTH PLAIN). A real device, enrolled with the
server, shows its QR code in Chromium; the QR code's picture goes to the server's public
page; the code arrives in the sink, addressed to the device's reserved e-mail only; the
device takes it once and refuses it a second time.
"""

import email
import json
import os
import ssl
import subprocess
import time
from email import policy
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from requests.auth import HTTPDigestAuth
from selenium.webdriver.common.by import By

from conftest import BIN, GOOD_PASSWORD, OTHER_PASSWORD, DeviceProcess, PlatformDatabase, free_port
from test_device_web_page import browser, click, fill  # noqa: F401  (the browser fixture)

RESERVED = "owner.reserved@example.com"
SMTP_USER, SMTP_PASSWORD = "reclaim", "smtp-secret-for-tests"


class Sink:
    """Keeps every message the SMTP server accepts."""

    def __init__(self):
        self.messages = []
        self.sessions = []

    async def handle_DATA(self, server, session, envelope):
        self.sessions.append({"tls": session.ssl is not None, "auth": session.authenticated})
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_PASSWORD.encode()
    return AuthResult(success=ok)


@pytest.fixture
def smtp_sink(tmp_path):
    """aiosmtpd on loopback that insists on STARTTLS and AUTH, with a certificate from a CA of the test's own."""
    key, cert = tmp_path / "smtp.key", tmp_path / "smtp.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-addext", "basicConstraints=critical,CA:TRUE"],
        check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    sink = Sink()
    port = free_port()
    controller = Controller(
        sink, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
        auth_require_tls=True, authenticator=authenticate, auth_required=True)
    controller.start()
    sink.port, sink.ca = port, cert
    yield sink
    controller.stop()


class ServerProcess:
    """`reclaim-server serve` on a data folder and its database (SQLite, or PostgreSQL: see conftest)."""

    def __init__(self, data: Path, port: int, env: dict, database: PlatformDatabase = None, extra=()):
        self.data, self.port = data, port
        self.database = database or PlatformDatabase(data)
        self.env = {**os.environ, **env, **self.database.env}
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [str(BIN / "reclaim-server"), "serve", "--data", str(data), "--http", f"127.0.0.1:{port}", *extra],
            env=self.env, stdout=subprocess.DEVNULL, stderr=open(data.parent / "server.log", "w"))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/health", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("reclaim-server did not start: " + (data.parent / "server.log").read_text()[-2000:])

    def cli(self, *args, check=True) -> subprocess.CompletedProcess:
        """A `reclaim-server` subcommand on the same data and database."""
        return subprocess.run([str(BIN / "reclaim-server"), *args, "--data", str(self.data)],
                              check=check, capture_output=True, text=True, env=self.env)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)


@pytest.fixture
def platform(tmp_path, smtp_sink):
    data = tmp_path / "server"
    data.mkdir()
    server = ServerProcess(data, free_port(), {
        "RECLAIM_MAIL_TRANSPORT": "smtp", "RECLAIM_MAIL_SMTP_HOST": "127.0.0.1",
        "RECLAIM_MAIL_SMTP_PORT": str(smtp_sink.port), "RECLAIM_MAIL_SMTP_CA_FILE": str(smtp_sink.ca),
        "RECLAIM_MAIL_SMTP_USERNAME": SMTP_USER, "RECLAIM_MAIL_SMTP_PASSWORD": SMTP_PASSWORD,
        "RECLAIM_PASSWORDS_COST": "light"})
    yield server
    server.stop()


def provision_enrolled(tmp_path, platform):
    """A new device's data folder, made with the platform's bundle and enrolled through the factory API."""
    bundle = tmp_path / "bundle.json"
    platform.cli("authority", "export-bundle", "--out", str(bundle))
    data = tmp_path / "device"
    record = subprocess.run([str(BIN / "reclaim-device"), "provision", "--data", str(data), "--authority-bundle", str(bundle)],
                            check=True, capture_output=True, text=True).stdout
    token = (platform.data / "authority" / "factory-token").read_text().strip()
    enrolled = requests.post(platform.base + "/api/v1/enrollments", data=record,
                             headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert enrolled.status_code == 201, enrolled.text
    return data, bundle


@pytest.fixture
def enrolled_device(tmp_path, platform):
    """A device made with the platform's bundle, enrolled through the factory API, activated, with a reserved e-mail."""
    data, bundle = provision_enrolled(tmp_path, platform)
    sadp_port = free_port()
    device = DeviceProcess(data, free_port(), ["--hash-cost", "light", "--authority-bundle", str(bundle),
                                               "--sadp-port", str(sadp_port), "--sadp-interface", "127.0.0.1"])
    device.sadp_port = sadp_port
    device.start()
    try:
        device.activate()
        reply = requests.put(device.base + "/ISAPI/Security/securityEmail?format=json",
                             data=json.dumps({"SecurityEmail": {"SecurityInformation": [{"emailAddress": RESERVED}],
                                                                "password": GOOD_PASSWORD}}),
                             auth=HTTPDigestAuth("admin", GOOD_PASSWORD), timeout=10)
        assert reply.status_code == 200, reply.text
        yield device
    finally:
        device.stop()


def wait_for_mail(sink, count=1, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(sink.messages) < count:
        time.sleep(0.1)
    assert len(sink.messages) >= count, "no mail reached the SMTP server"


def test_the_code_reaches_the_reserved_address_and_works_once(enrolled_device, platform, smtp_sink, browser, tmp_path):
    device = enrolled_device
    # On the device: forgot password → reserved e-mail → the QR code.
    browser.get(device.base + "/forgot/email")
    click(browser, "generate")
    qr_picture = tmp_path / "qr.png"
    browser.find_element(By.ID, "qr").screenshot(str(qr_picture))

    # On the platform's public page: hand in the picture of the QR code.
    browser.get(platform.base + "/recover")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Reserved e-mail recovery"
    browser.find_element(By.ID, "picture").send_keys(str(qr_picture))
    click(browser, "recover-submit")
    assert "Received." in browser.find_element(By.ID, "notice").text

    # The mail went through STARTTLS and AUTH, to the reserved address and nobody else.
    wait_for_mail(smtp_sink)
    recipients, message = smtp_sink.messages[0]
    assert recipients == [RESERVED]
    assert smtp_sink.sessions[0] == {"tls": True, "auth": True}
    body = message.get_body(("plain",)).get_content()
    code = body.split("Verification code: ")[1].split()[0]
    assert device.process.poll() is None

    # Back on the device: the code and a new password.
    browser.get(device.base + "/forgot/email")
    fill(browser, "code", code)
    fill(browser, "new-password", OTHER_PASSWORD)
    fill(browser, "confirm-password", OTHER_PASSWORD)
    click(browser, "confirm")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Password changed"
    assert device.get("/ISAPI/System/deviceInfo", password=OTHER_PASSWORD).status_code == 200

    # The same code a second time is refused.
    browser.get(device.base + "/forgot/email")
    fill(browser, "code", code)
    fill(browser, "new-password", "Terza-Pass77")
    fill(browser, "confirm-password", "Terza-Pass77")
    click(browser, "confirm")
    assert browser.find_element(By.ID, "error").text
    assert device.get("/ISAPI/System/deviceInfo", password=OTHER_PASSWORD).status_code == 200


def test_the_lan_tool_submits_the_code_to_the_server(enrolled_device, platform, smtp_sink, tmp_path):
    """`reclaim forgot --email --submit URL`: the QR code goes to the authority, the code comes by mail."""
    new_password = tmp_path / "new-password"
    new_password.write_text(OTHER_PASSWORD + "\n")
    tool = subprocess.Popen(
        [str(BIN / "reclaim"), "forgot", "--device", "127.0.0.1", "--interface", "127.0.0.1",
         "--port", str(enrolled_device.sadp_port), "--email", "--submit", platform.base,
         "--new-password-file", str(new_password)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wait_for_mail(smtp_sink)
    code = smtp_sink.messages[0][1].get_body(("plain",)).get_content().split("Verification code: ")[1].split()[0]
    output, _ = tool.communicate(code + "\n", timeout=60)
    assert tool.returncode == 0, output
    assert "Received." in output
    assert "the new admin password is set" in output
    assert enrolled_device.get("/ISAPI/System/deviceInfo", password=OTHER_PASSWORD).status_code == 200


def test_audit_verify_names_a_tampered_entry(platform, enrolled_device):
    """On the server's database, whichever it is: SQLite by default, PostgreSQL when set."""
    health = requests.get(platform.base + "/health", timeout=10).json()
    assert health["database"] == platform.database.dialect and health["status"] == "ok"
    assert platform.cli("audit", "verify").stdout.startswith("The audit log is intact:")
    # SIGTERM stops the server gracefully: it finishes what it holds and exits 0.
    platform.stop()
    assert platform.process.returncode == 0
    platform.database.execute("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 1")
    broken = platform.cli("audit", "verify", check=False)
    assert broken.returncode == 1
    assert "The audit log is broken at entry 1: its content no longer matches its hash." in broken.stdout
