"""Signed firmware updates (flow F9) with the real binaries: a release key and packages made
with `reclaim-server firmware`, a device that trusts the key's public half, `reclaim firmware
upgrade` refused for every bad package in plain words and then installing a good one; the
new release in deviceInfo (raw HTTP Digest), across a restart, in discovery and `reclaim
audit`, and on the device page's firmware form in a browser."""

import json
import os
import stat
import subprocess

import pytest
import requests
from requests.auth import HTTPDigestAuth
from selenium.webdriver.common.by import By

from conftest import AUTHORITY_BUNDLE, BIN, GOOD_PASSWORD, DeviceProcess, free_port
from test_device_hardening import italian  # noqa: F401  (fixture)
from test_device_web_page import browser, click, fill  # noqa: F401  (fixture)
from test_italian import reads_italian

MODEL = "DS-2CD2386G2-IU"
OLDEST = ("V5.7.3", "220112")
LATEST = ("V5.7.15", "230815")


def run(binary, *args):
    return subprocess.run([str(BIN / binary), *args], capture_output=True, text=True, timeout=120)


def sign(release, out, version, build, model=MODEL, key=None):
    result = run("reclaim-server", "firmware", "sign", "--key", str(key or release / "release-key.json"), "--model", model,
                 "--version", version, "--build", build, "--payload", str(release / "image.bin"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def release(tmp_path):
    """A release key, a lab payload, and packages: the latest release, tampered, unsigned,
    older than the device runs, for another model, and signed with a key the device does not trust."""
    folder = tmp_path / "release"
    result = run("reclaim-server", "firmware", "keygen", "--out", str(folder))
    assert result.returncode == 0, result.stderr
    (folder / "image.bin").write_bytes(os.urandom(200_000))
    packages = folder / "packages"
    packages.mkdir()
    good = sign(folder, packages / "latest.pkg", *LATEST)
    data = bytearray(good.read_bytes())
    # A byte of the payload, just before the signature field (tag, length, 64 bytes).
    data[-70] ^= 0x01
    (packages / "tampered.pkg").write_bytes(bytes(data))
    (packages / "unsigned.pkg").write_bytes(good.read_bytes()[:-69])
    sign(folder, packages / "older.pkg", "V5.6.0", "200101")
    sign(folder, packages / "recorder.pkg", *LATEST, model="DS-7608NXI-K2")
    other = tmp_path / "other-release"
    assert run("reclaim-server", "firmware", "keygen", "--out", str(other)).returncode == 0
    (other / "image.bin").write_bytes(b"not ours")
    sign(other, packages / "other-key.pkg", *LATEST)
    return folder


def made_with(data, firmware):
    """A camera made (not yet started) with `firmware`, as the factory might have."""
    result = run("reclaim-device", "provision", "--data", str(data), "--model", MODEL, "--authority-bundle", str(AUTHORITY_BUNDLE))
    assert result.returncode == 0, result.stderr
    identity = json.loads((data / "identity.json").read_text())
    identity["firmware"] = {"version": firmware[0], "build": firmware[1]}
    (data / "identity.json").write_text(json.dumps(identity))


@pytest.fixture
def camera(tmp_path, release):
    """An activated camera on its oldest firmware that trusts the release key."""
    made_with(tmp_path / "camera", OLDEST)
    device = DeviceProcess(
        tmp_path / "camera", free_port(),
        ["--hash-cost", "light", "--sadp-port", str(free_port()), "--firmware-key", str(release / "release-key.pub.json")])
    device.start()
    device.activate()
    (tmp_path / "admin-password").write_text(GOOD_PASSWORD + "\n")
    device.password_file = tmp_path / "admin-password"
    device.sadp_port = int(device.extra[device.extra.index("--sadp-port") + 1])
    yield device
    device.stop()


def upgrade(device, package):
    return run("reclaim", "firmware", "upgrade", "--device", f"127.0.0.1:{device.port}", "--file", str(package),
               "--password-file", str(device.password_file))


def device_info(device):
    reply = requests.get(device.base + "/ISAPI/System/deviceInfo", auth=HTTPDigestAuth("admin", GOOD_PASSWORD), timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.text


def lan(device, *args):
    """The LAN tool, finding the device by a unicast probe on its discovery port."""
    return run("reclaim", *args, "--interface", "127.0.0.1", "--probe", "127.0.0.1", "--port", str(device.sadp_port),
               "--timeout", "2")


def test_the_tool_makes_a_key_pair_and_refuses_what_no_device_takes(tmp_path, release):
    private, public = release / "release-key.json", release / "release-key.pub.json"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert "privateKey" in private.read_text() and "privateKey" not in public.read_text()
    again = run("reclaim-server", "firmware", "keygen", "--out", str(release))
    assert again.returncode != 0 and "exists already" in again.stderr
    bad = run("reclaim-server", "firmware", "sign", "--key", str(private), "--model", MODEL, "--version", "5.7", "--build", "240301",
              "--payload", str(release / "image.bin"), "--out", str(tmp_path / "bad.pkg"))
    assert bad.returncode != 0 and "its version must read like V5.7.15" in bad.stderr
    # A device is never given the private half.
    refused = run("reclaim-device", "run", "--data", str(tmp_path / "d"), "--http", f"127.0.0.1:{free_port()}",
                  "--firmware-key", str(private), "--no-discovery")
    assert refused.returncode != 0 and "This is the private release key" in refused.stderr


def test_bad_packages_are_refused_in_plain_words_and_a_good_one_is_installed(camera, release):
    packages = release / "packages"
    refusals = {
        "tampered.pkg": "The firmware package's signature does not verify: the file was altered or is not genuine. Nothing was installed.",
        "unsigned.pkg": "The firmware package is not signed; only signed releases are installed.",
        "other-key.pkg": "which this device does not trust; it is not a release for it.",
        "recorder.pkg": "The firmware package is for DS-7608NXI-K2, not for this DS-2CD2386G2-IU.",
        "older.pkg": "The firmware package holds V5.6.0 build 200101, older than the installed V5.7.3 build 220112; "
                     "a device never goes back to an older release.",
    }
    for name, words in refusals.items():
        result = upgrade(camera, packages / name)
        assert result.returncode == 1, (name, result.stdout)
        assert result.stderr.startswith(f"reclaim: 127.0.0.1:{camera.port}: installing the firmware package was refused: "), result.stderr
        assert words in result.stderr, (name, result.stderr)
        assert "<firmwareVersion>V5.7.3</firmwareVersion>" in device_info(camera), name

    result = upgrade(camera, packages / "latest.pkg")
    assert result.returncode == 0, result.stderr
    serial = json.loads((camera.data / "identity.json").read_text())["serial"]
    assert result.stdout.strip() == f"{serial} (127.0.0.1:{camera.port}): firmware V5.7.3 build 220112 → V5.7.15 build 230815."
    info = device_info(camera)
    assert "<firmwareVersion>V5.7.15</firmwareVersion>" in info and "<firmwareReleasedDate>build 230815</firmwareReleasedDate>" in info

    same = upgrade(camera, packages / "latest.pkg")
    assert same.returncode == 1 and "V5.7.15 build 230815 is installed already; nothing was changed." in same.stderr

    # Raw ISAPI: the refusal's codes, as any client reads them.
    reply = requests.put(camera.base + "/ISAPI/System/updateFirmware", data=(packages / "tampered.pkg").read_bytes(),
                         auth=HTTPDigestAuth("admin", GOOD_PASSWORD), timeout=30)
    assert reply.status_code == 400 and "<subStatusCode>firmwareSignatureInvalid</subStatusCode>" in reply.text
    anyone = requests.put(camera.base + "/ISAPI/System/updateFirmware", data=(packages / "latest.pkg").read_bytes(), timeout=30)
    assert anyone.status_code == 401

    # Restarted, it runs the new release.
    camera.stop()
    camera.start()
    assert "<firmwareVersion>V5.7.15</firmwareVersion>" in device_info(camera)


@pytest.mark.skipif(os.environ.get("RECLAIM_NETNS") != "1", reason="discovery on loopback runs in a network namespace")
def test_discovery_and_the_audit_show_the_new_release(camera, release):
    before = lan(camera, "audit", "--device", "127.0.0.1", "--password-file", str(camera.password_file))
    assert "  [medium] firmware: V5.7.3 build 220112 is installed; V5.7.15 build 230815 is available: update it." in before.stdout, before

    # Found on the LAN by its serial, rather than reached at HOST:PORT.
    serial = json.loads((camera.data / "identity.json").read_text())["serial"]
    found = lan(camera, "firmware", "upgrade", "--device", serial, "--file", str(release / "packages" / "latest.pkg"),
                "--password-file", str(camera.password_file))
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == f"{serial} (127.0.0.1): firmware V5.7.3 build 220112 → V5.7.15 build 230815."
    scan = lan(camera, "scan")
    assert scan.returncode == 0, scan.stderr
    assert "V5.7.15build 230815" in scan.stdout and scan.stdout.rstrip().endswith("1 device."), scan.stdout
    after = lan(camera, "audit", "--device", "127.0.0.1", "--password-file", str(camera.password_file))
    assert "  [ok] firmware: V5.7.15 build 230815 is the latest known release." in after.stdout, after


def test_the_device_page_installs_an_uploaded_package(camera, release, browser):
    browser.get(camera.base + "/")
    fill(browser, "password", GOOD_PASSWORD)
    click(browser, "signin")
    assert browser.find_element(By.ID, "firmware-installed").text == "V5.7.3 build 220112"
    assert browser.find_element(By.ID, "check-firmware-status").text == "To do"
    # The checklist's firmware item leads to the form.
    browser.find_element(By.ID, "fix-firmware").click()
    assert browser.current_url.endswith("/#firmware")
    assert browser.find_element(By.ID, "firmware").tag_name == "form"

    browser.find_element(By.ID, "firmware-file").send_keys(str(release / "packages" / "tampered.pkg"))
    click(browser, "firmware-update")
    assert browser.find_element(By.ID, "error").text == (
        "The firmware package's signature does not verify: the file was altered or is not genuine. Nothing was installed.")
    assert browser.find_element(By.ID, "firmware-installed").text == "V5.7.3 build 220112"

    browser.find_element(By.ID, "firmware-file").send_keys(str(release / "packages" / "latest.pkg"))
    click(browser, "firmware-update")
    assert browser.find_element(By.ID, "notice").text == "Firmware V5.7.15 build 230815 installed (it replaced V5.7.3 build 220112)."
    assert browser.find_element(By.ID, "firmware-installed").text == "V5.7.15 build 230815"
    assert browser.find_element(By.ID, "check-firmware-status").text == "Done"
    assert "<firmwareVersion>V5.7.15</firmwareVersion>" in device_info(camera)


def test_the_firmware_form_in_italian(camera, release, italian):
    browser = italian
    browser.get(camera.base + "/")
    fill(browser, "password", GOOD_PASSWORD)
    click(browser, "signin")
    assert browser.find_element(By.CSS_SELECTOR, "#firmware h2").text == "Aggiornamento firmware"
    assert browser.find_element(By.ID, "fix-firmware").text == "Aggiorna il firmware"
    browser.find_element(By.ID, "firmware-file").send_keys(str(release / "packages" / "unsigned.pkg"))
    click(browser, "firmware-update")
    assert browser.find_element(By.ID, "error").text == (
        "Il pacchetto firmware non è firmato: vengono installate solo le versioni firmate.")
    reads_italian(browser)
    browser.find_element(By.ID, "firmware-file").send_keys(str(release / "packages" / "latest.pkg"))
    click(browser, "firmware-update")
    assert browser.find_element(By.ID, "notice").text == "Firmware V5.7.15 build 230815 installato (al posto di V5.7.3 build 220112)."
    assert browser.find_element(By.ID, "check-firmware-status").text == "Fatto"
    reads_italian(browser)
