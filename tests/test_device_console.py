"""The device's local menu (`reclaim-device console`) in a real terminal, as a person at
the NVR's monitor meets it.

Each test runs a real device, sets its recovery up over ISAPI, starts the console in a
detached tmux session of its own (100 × 50), presses keys with `tmux send-keys` and reads
the screen with `tmux capture-pane`: "Forgot password" with the GUID file from a folder
standing for the USB stick, the security questions (a wrong answer, then the right ones),
and the reserved e-mail, whose QR code, as drawn in the terminal, is scanned and handed to
a real platform that mails the verification code. Afterwards the new password works over
ISAPI, and the terminal is given back as it was.
"""

import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests
from PIL import Image
from requests.auth import HTTPDigestAuth

from conftest import BIN, GOOD_PASSWORD, OTHER_PASSWORD
from test_platform_email_recovery import enrolled_device, platform, smtp_sink, wait_for_mail  # noqa: F401  (fixtures)

TMUX = shutil.which("tmux") or "/usr/bin/tmux"


class Console:
    """`reclaim-device console` in a detached tmux session on a tmux server of its own."""

    def __init__(self, data: Path, serial: str, *args):
        # A short folder of its own: a tmux socket path must stay under 108 bytes.
        self.folder = Path(tempfile.mkdtemp(prefix="rc-tmux-"))
        config = self.folder / "tmux.conf"
        # No status line: the pane is the whole 100 × 50.
        config.write_text("set -g status off\n")
        self.tmux = [TMUX, "-u", "-S", str(self.folder / "socket"), "-f", str(config)]
        command = " ".join(f"'{part}'" for part in [str(BIN / "reclaim-device"), "console", serial, "--data", str(data), *args])
        # After the console: its exit status and the terminal's settings, to see them restored.
        # The shell survives Ctrl-C (`trap :`) to print them; the console gets the default.
        script = f"trap : INT; {command}; echo console-exit=$?; stty -a; echo stty-done; sleep 600"
        subprocess.run([*self.tmux, "new-session", "-d", "-s", "console", "-x", "100", "-y", "50", script],
                       check=True, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "xterm-256color", "HOME": str(self.folder)})

    def keys(self, *keys):
        for key in keys:
            subprocess.run([*self.tmux, "send-keys", "-t", "console", key], check=True)

    def type(self, text):
        subprocess.run([*self.tmux, "send-keys", "-t", "console", "-l", text], check=True)

    def line(self, text):
        """Types into the focused field and presses Enter."""
        self.type(text)
        self.keys("Enter")

    def screen(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-t", "console"], check=True, capture_output=True,
                              text=True).stdout

    def wait_for(self, *texts, timeout=15.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            # A long text wraps at the terminal's width: read it with its lines joined too.
            joined = " ".join(screen.split())
            if all(text in screen or text in joined for text in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"not on the screen: {[t for t in texts if t not in joined]}\n{screen}")
            time.sleep(0.1)

    def close(self):
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def consoles():
    started = []

    def start(device, *args, data=None, serial=None):
        console = Console(data or device.data, serial or serial_of(device), *args)
        started.append(console)
        return console

    yield start
    for console in started:
        console.close()


def serial_of(device) -> str:
    info = device.get("/ISAPI/System/deviceInfo", password=GOOD_PASSWORD)
    assert info.status_code == 200, info.text
    return re.search(r"<serialNumber>([^<]+)</serialNumber>", info.text).group(1)


def assert_terminal_restored(screen: str, after: str):
    """The terminal's settings printed after the console ended: cooked and echoing again."""
    settings = screen.split(after)[1]
    assert re.search(r"(?<![-\w])icanon\b", settings) and re.search(r"(?<![-\w])echo\b", settings), settings


def works_over_isapi(device, password) -> bool:
    return device.get("/ISAPI/Security/userCheck", password=password).status_code == 200


def test_the_console_takes_a_guid_file_from_the_usb_stick(activated_device, consoles, tmp_path):
    device = activated_device
    exported = device.post("/ISAPI/Security/GUIDFileData", f"<GUIDFileExport><password>{GOOD_PASSWORD}</password></GUIDFileExport>")
    assert exported.status_code == 200, exported.text
    name = re.search(r'filename="([^"]+)"', exported.headers["Content-Disposition"]).group(1)
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / name).write_text(exported.text)
    # An old copy whose secret no longer matches, and a file that is no GUID file at all.
    guid = exported.text.split("<guid>")[1].split("</guid>")[0]
    (usb / "GUID_old.guid.xml").write_text(exported.text.replace(guid, "A" * 52))
    (usb / "notes.txt").write_text("not offered")

    console = consoles(device, "--usb", str(usb))
    console.wait_for("Sign in", "User name: admin", "▸ Password: _")
    console.keys("Down", "Down")
    console.wait_for("▸ [ Forgot password ]")
    console.keys("Enter")
    screen = console.wait_for("Choose how you will prove that this device is yours:", "▸ [ GUID file ]")
    assert "Not set up on this device." in screen, "the questions are not set up"
    console.keys("Enter")
    screen = console.wait_for(f"Choose the GUID file on the USB stick ({usb}):", name, "GUID_old.guid.xml")
    assert "notes.txt" not in screen

    # The old copy: refused, counted, with the attempts left; back at the files.
    console.keys("Down")
    console.wait_for("▸ GUID_old.guid.xml")
    console.keys("Enter")
    console.wait_for("GUID file: GUID_old.guid.xml", "Rules: 8 to 16 characters", "▸ New password: _")
    console.line(OTHER_PASSWORD)
    console.wait_for("▸ Confirm the password: _")
    console.line(OTHER_PASSWORD)
    console.wait_for("4 attempts left before a lock-out.", "▸ GUID_old.guid.xml")
    assert works_over_isapi(device, GOOD_PASSWORD)

    # The current file, first with a password the device's policy refuses.
    console.keys("Up", "Enter")
    console.wait_for(f"GUID file: {name}")
    console.line("admin")
    console.line("admin")
    console.wait_for("The password must be at least 8 characters long.", "The password must not contain the user name.",
                     f"GUID file: {name}")
    console.line(OTHER_PASSWORD)
    console.line(OTHER_PASSWORD)
    console.wait_for("Password changed", "export a new GUID file")
    assert works_over_isapi(device, OTHER_PASSWORD)
    assert not works_over_isapi(device, GOOD_PASSWORD)

    # Sign in with it on the console: the GUID file is used up.
    console.keys("Enter")
    console.wait_for("▸ Password: _")
    console.line(OTHER_PASSWORD)
    console.wait_for("Signed in as admin", "GUID file: not set up")

    # Ctrl-C gives the terminal back as it was: cooked, echoing, main screen.
    console.keys("C-c")
    screen = console.wait_for("console-exit=130", "stty-done")
    assert_terminal_restored(screen, "console-exit=130")
    assert "Signed in as admin" not in screen, "the menu's screen is gone"


def test_a_wrong_answer_shows_the_attempts_left_then_the_right_ones_work_in_italian(activated_device, consoles):
    device = activated_device
    questions = "".join(f"<Question><id>{i}</id><answer>{a}</answer></Question>" for i, a in [(1, "Rossi"), (3, "Milano"), (5, "Fiat")])
    reply = requests.put(
        device.base + "/ISAPI/Security/questionConfiguration",
        data=f"<SecurityQuestion><QuestionList>{questions}</QuestionList><password>{GOOD_PASSWORD}</password></SecurityQuestion>",
        auth=HTTPDigestAuth("admin", GOOD_PASSWORD), timeout=10)
    assert reply.status_code == 200, reply.text

    console = consoles(device, "--lang", "it")
    console.wait_for("Menu locale", "Accesso", "Nome utente: admin")
    console.keys("Down", "Down")
    console.wait_for("▸ [ Password dimenticata ]")
    console.keys("Enter")
    screen = console.wait_for("Scegli come dimostrare che il dispositivo è tuo:", "▸ [ Verifica domande di sicurezza ]")
    assert "[ Verifica file GUID ]" in screen and "Metodo non impostato su questo dispositivo." in screen
    assert "[ Verifica tramite email riservata ]" in screen
    console.keys("Enter")
    console.wait_for("1. Qual è il cognome da nubile di tua madre?", "2. Qual è la tua città natale?",
                     "3. Di che marca era la tua prima auto?")

    # One answer wrong: the device counts it and the menu says how many attempts are left.
    console.line("Rossi")
    console.line("Roma")
    console.line("Fiat")
    console.wait_for("Nuova password", "Regole: Da 8 a 16 caratteri")
    console.line(OTHER_PASSWORD)
    console.line(OTHER_PASSWORD)
    screen = console.wait_for("I dati inseriti non corrispondono. Ti restano 4 tentativi prima del blocco.")
    assert "Roma" not in screen and "Rossi" not in screen, "the answers are typed again"
    assert works_over_isapi(device, GOOD_PASSWORD)

    console.line("Rossi")
    console.line("Milano")
    console.line("Fiat")
    console.wait_for("Nuova password")
    console.line(OTHER_PASSWORD)
    console.line(OTHER_PASSWORD)
    console.wait_for("Password modificata", "La nuova password amministratore è impostata.")
    assert works_over_isapi(device, OTHER_PASSWORD)
    assert not works_over_isapi(device, GOOD_PASSWORD)


def qr_picture(screen: str, path: Path):
    """Draws the half blocks of a captured screen as a picture, as a phone's camera sees
    the monitor: each character cell one module wide and two high; everything but the
    blocks is light."""
    lines = screen.split("\n")
    width = max(len(line) for line in lines)
    scale = 6
    image = Image.new("L", (width * scale, len(lines) * 2 * scale), 255)
    for row, line in enumerate(lines):
        for column, character in enumerate(line):
            for half, dark in ((0, character in "█▀"), (1, character in "█▄")):
                if dark:
                    top = (row * 2 + half) * scale
                    image.paste(0, (column * scale, top, (column + 1) * scale, top + scale))
    image.save(path)


def test_the_reserved_email_qr_code_in_the_terminal_scans_and_its_code_resets_the_password(
        enrolled_device, platform, smtp_sink, consoles, tmp_path):
    device = enrolled_device
    console = consoles(device)
    console.wait_for("▸ Password: _")
    console.keys("Down", "Down", "Enter")
    console.wait_for("▸ [ Reserved e-mail ]", "verification code to o***@example.com")
    console.keys("Enter")
    screen = console.wait_for("QR code text (expires on", "▸ Verification code: _", "[ Generate QR code ]")
    lines = screen.rstrip("\n").split("\n")
    assert lines[0].startswith("Local menu · "), "the whole screen fits the terminal: nothing scrolled off the top"

    # The text under the QR code, wrapped over several lines.
    start = next(i for i, line in enumerate(lines) if line.startswith("QR code text (expires on"))
    end = next(i for i, line in enumerate(lines) if line.startswith("▸ Verification code"))
    text = "".join(line.strip() for line in lines[start + 1:end])
    assert text.startswith("RC1:")

    # The QR code, as drawn, scans to that text.
    picture = tmp_path / "console-qr.png"
    qr_picture(screen, picture)
    scanned = subprocess.run(["zbarimg", "--raw", "-q", str(picture)], capture_output=True, text=True)
    assert scanned.stdout.strip() == text, scanned.stdout + scanned.stderr

    # A wrong code is refused with the attempts left; the QR code stays.
    console.line("ABCD-EFGH-JKLM")
    console.wait_for("▸ New password: _")
    console.line(OTHER_PASSWORD)
    console.line(OTHER_PASSWORD)
    screen = console.wait_for("4 attempts left before a lock-out.", "QR code text (expires on")
    assert works_over_isapi(device, GOOD_PASSWORD)

    # The picture goes to the platform, which mails the code to the reserved address only.
    with picture.open("rb") as file:
        handed = requests.post(platform.base + "/api/v1/recovery/email", files={"picture": ("qr.png", file, "image/png")}, timeout=20)
    assert handed.status_code == 202, handed.text
    wait_for_mail(smtp_sink)
    code = smtp_sink.messages[0][1].get_body(("plain",)).get_content().split("Verification code: ")[1].split()[0]

    console.wait_for("▸ Verification code: _")
    console.line(code)
    console.wait_for("▸ New password: _")
    console.line(OTHER_PASSWORD)
    console.line(OTHER_PASSWORD)
    console.wait_for("Password changed")
    assert works_over_isapi(device, OTHER_PASSWORD)
    assert not works_over_isapi(device, GOOD_PASSWORD)


def test_a_console_without_a_running_device_says_how_to_start_it(tmp_path, consoles):
    data = tmp_path / "stopped"
    data.mkdir()
    console = consoles(None, data=data, serial="DS-NOWHERE")
    console.wait_for("No device answers", f"Nothing answers on {data}/control.sock", "▸ [ Try again ]")
    console.keys("Escape")
    assert_terminal_restored(console.wait_for("console-exit=0", "stty-done"), "console-exit=0")
