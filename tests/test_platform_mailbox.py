"""The recovery mailbox end to end, as the vendors' guides describe it: "export the QR code and send it
to pw_recovery@… as an attachment".

A real `reclaim-server` runs its mailbox (`--smtp-listen`); a real device, enrolled with it,
exports its reserved-e-mail QR code over the LAN; Python's own smtplib mails the picture as
an attachment. The verification code lands in the server's outbox addressed to the device's
reserved e-mail only — never to the sender — and works on the device. Relaying, oversized
messages and a flood from one address are refused with the replies SMTP clients understand.
"""

import email
import smtplib
import socket
import subprocess
import time
from email import policy
from email.message import EmailMessage

import pytest

from conftest import BIN, OTHER_PASSWORD, free_port
from test_platform_email_recovery import RESERVED, ServerProcess, enrolled_device  # noqa: F401  (the device fixture)

MAILBOX = "pw_recovery@reclaim.test"
SENDER = "installer@example.net"
MAX_SIZE = 200_000
PER_SOURCE = 4


@pytest.fixture
def platform(tmp_path):
    """`reclaim-server` with its mailbox on a free loopback port; mail goes to its outbox folder."""
    data = tmp_path / "server"
    data.mkdir()
    smtp_port = free_port()
    server = ServerProcess(data, free_port(), {
        "RECLAIM_PASSWORDS_COST": "light",
        "RECLAIM_MAILBOX_MAX_MESSAGE_SIZE": str(MAX_SIZE),
        "RECLAIM_LIMITS_MAILBOX_PER_SOURCE": str(PER_SOURCE),
    }, extra=["--smtp-listen", f"127.0.0.1:{smtp_port}", "--mailbox-address", MAILBOX])
    server.smtp_port = smtp_port
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", smtp_port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    yield server
    server.stop()


def outbox(platform):
    """Every message the server has mailed: (recipient, message)."""
    messages = []
    for path in sorted((platform.data / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        messages.append((str(message["To"]), message))
    return messages


def wait_for_outbox(platform, count=1, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(outbox(platform)) < count:
        time.sleep(0.1)
    return outbox(platform)


def export_qr(device, tmp_path):
    """The device's reserved-e-mail QR code as a PNG, exported over the LAN with the LAN tool."""
    picture = tmp_path / "qr.png"
    subprocess.run([str(BIN / "reclaim"), "export-qr", "--purpose", "email", "--device", "127.0.0.1",
                    "--interface", "127.0.0.1", "--port", str(device.sadp_port), "--out", str(picture)],
                   check=True, capture_output=True, timeout=60)
    return picture.read_bytes()


def message_with(attachment: bytes = None, text="Ecco il codice QR del registratore.") -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = SENDER, MAILBOX, "Codice QR"
    message.set_content(text)
    if attachment is not None:
        message.add_attachment(attachment, maintype="image", subtype="png", filename="qr.png")
    return message


def mailbox(platform) -> smtplib.SMTP:
    client = smtplib.SMTP("127.0.0.1", platform.smtp_port, timeout=30)
    client.ehlo("client.example")
    return client


def test_a_qr_code_mailed_as_an_attachment_gets_the_code_to_the_reserved_address_only(platform, enrolled_device, tmp_path):
    picture = export_qr(enrolled_device, tmp_path)
    with mailbox(platform) as client:
        assert "size" in client.esmtp_features and "auth" not in client.esmtp_features
        assert client.mail(SENDER)[0] == 250
        assert client.rcpt(MAILBOX)[0] == 250
        code, reply = client.data(message_with(picture).as_bytes())
        assert code == 250, reply
        assert b"Received." in reply and b"reserved e-mail address (not to you)" in reply

    mails = wait_for_outbox(platform)
    assert mails, "no verification code was mailed"
    time.sleep(1)  # anything else the server might still mail
    mails = outbox(platform)
    assert [to for to, _ in mails] == [RESERVED]
    body = mails[0][1].get_body(("plain",)).get_content()
    verification = body.split("Verification code: ")[1].split()[0]

    # On the LAN: the code and a new password reset the device.
    new_password = tmp_path / "new-password"
    new_password.write_text(OTHER_PASSWORD + "\n")
    forgot = subprocess.run(
        [str(BIN / "reclaim"), "forgot", "--device", "127.0.0.1", "--interface", "127.0.0.1",
         "--port", str(enrolled_device.sadp_port), "--email", "--code", verification,
         "--new-password-file", str(new_password)],
        capture_output=True, text=True, timeout=90)
    assert forgot.returncode == 0, forgot.stdout + forgot.stderr
    assert enrolled_device.get("/ISAPI/System/deviceInfo", password=OTHER_PASSWORD).status_code == 200

    # The hand-in is on the audit log as one from /recover is, by the sender's address.
    if platform.database.dialect == "sqlite":
        audit = subprocess.run(["sqlite3", str(platform.data / "reclaim.sqlite"), "SELECT actor, action FROM audit_log"],
                               capture_output=True, text=True, check=True)
        assert "public:127.0.0.1|email-recovery.code-mailed" in audit.stdout


def test_the_mailbox_relays_nothing(platform):
    with mailbox(platform) as client:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            client.sendmail(SENDER, ["friend@elsewhere.example"], message_with().as_bytes())
        code, reply = refused.value.recipients["friend@elsewhere.example"]
        assert code == 550 and b"Relay refused" in reply
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            client.sendmail(SENDER, ["postmaster@reclaim.test"], message_with().as_bytes())
    assert outbox(platform) == []


def test_a_message_without_a_qr_code_is_refused_with_what_to_do(platform):
    with mailbox(platform) as client:
        with pytest.raises(smtplib.SMTPDataError) as no_picture:
            client.sendmail(SENDER, [MAILBOX], message_with().as_bytes())
        assert no_picture.value.smtp_code == 550 and b"No picture" in no_picture.value.smtp_error
        with pytest.raises(smtplib.SMTPDataError) as not_a_qr:
            client.sendmail(SENDER, [MAILBOX], message_with(b"\x89PNG\r\n\x1a\n" + b"not really a picture").as_bytes())
        assert not_a_qr.value.smtp_code == 550
        # The server lives on and answers.
        assert client.noop()[0] == 250


def test_oversized_messages_are_refused(platform):
    large = message_with(bytes(MAX_SIZE)).as_bytes()
    with mailbox(platform) as client:
        # smtplib declares the size (the server advertises SIZE): refused before the data.
        with pytest.raises(smtplib.SMTPSenderRefused) as declared:
            client.sendmail(SENDER, [MAILBOX], large)
        assert declared.value.smtp_code == 552
    with mailbox(platform) as client:
        # Undeclared: refused at the end of the data.
        assert client.mail(SENDER)[0] == 250
        assert client.rcpt(MAILBOX)[0] == 250
        code, reply = client.data(large)
        assert code == 552 and b"too large" in reply


def test_a_flood_from_one_address_is_told_to_come_back_later(platform):
    with mailbox(platform) as client:
        for _ in range(PER_SOURCE):
            with pytest.raises(smtplib.SMTPDataError):
                client.sendmail(SENDER, [MAILBOX], message_with().as_bytes())
        with pytest.raises(smtplib.SMTPSenderRefused) as limited:
            client.sendmail(SENDER, [MAILBOX], message_with().as_bytes())
        assert limited.value.smtp_code == 450 and b"Too many messages" in limited.value.smtp_error
