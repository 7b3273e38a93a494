"""`reclaim-device`'s command-line contract: farm, provision, label and button."""

import json
import re
import subprocess
from pathlib import Path

import pytest
import requests
from requests.auth import HTTPDigestAuth

from conftest import BIN, free_port

VECTORS = Path(__file__).resolve().parents[1] / "Tests" / "ReclaimCoreTests" / "Vectors" / "recovery-v1"
# Suits every model of a farm: the compatible profile (8–16) and the passphrase profile (15+).
GOOD_PASSWORD = "Lab-Farm-2026-Qx"
SERIAL = re.compile(r"^(?P<model>[A-Za-z0-9-]+?)(?P<date>20\d{6})(?P<batch>[A-Z]{4})(?P<digits>\d{9})$")


def reclaim_device(*args, check=True):
    return subprocess.run([str(BIN / "reclaim-device"), *args], capture_output=True, text=True, timeout=60, check=check)


class Farm:
    def __init__(self, data, count, password_file=None, sadp_port=None, extra=()):
        self.data, self.count, self.port = data, count, free_port()
        # Discovery on its own port unless asked, so farms of parallel tests don't answer each other's probes.
        args = ["farm", "--count", str(count), "--first-address", "127.1.0.1", "--http-port", str(self.port),
                "--data", str(data), "--hash-cost", "light", "--sadp-port", str(sadp_port or free_port())]
        if password_file:
            args += ["--activated-password-file", str(password_file)]
        self.sadp_port = int(args[args.index("--sadp-port") + 1])
        args += list(extra)
        self.process = subprocess.Popen([str(BIN / "reclaim-device"), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.ready_line = self.process.stdout.readline()

    def url(self, index, path):
        return f"http://127.1.0.{index + 1}:{self.port}{path}"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "lab-password"
    path.write_text(GOOD_PASSWORD + "\n")
    return path


def test_farm_runs_activated_devices_each_on_its_own_address(tmp_path, password_file):
    farm = Farm(tmp_path / "farm", 12, password_file)
    try:
        assert "farm ready: 12 devices on 127.1.0.1–127.1.0.12" in farm.ready_line
        infos = []
        for index in range(12):
            reply = requests.get(farm.url(index, "/ISAPI/System/deviceInfo"), auth=HTTPDigestAuth("admin", GOOD_PASSWORD), timeout=10)
            assert reply.status_code == 200
            infos.append(reply.text)
        serials = [re.search(r"<serialNumber>(.*)</serialNumber>", text).group(1) for text in infos]
        macs = [re.search(r"<macAddress>(.*)</macAddress>", text).group(1) for text in infos]
        models = {re.search(r"<model>(.*)</model>", text).group(1) for text in infos}
        firmware = {re.search(r"<firmwareVersion>(.*)</firmwareVersion>", text).group(1) for text in infos}
        assert len(set(serials)) == 12 and len(set(macs)) == 12
        assert len(models) >= 5 and len(firmware) >= 5
        for serial, text in zip(serials, infos):
            match = SERIAL.match(serial)
            assert match, serial
            assert match["model"] == re.search(r"<model>(.*)</model>", text).group(1)
    finally:
        farm.stop()

    # Restarted, every device is back on its address with the same identity.
    again = Farm(tmp_path / "farm", 12)
    try:
        reply = requests.get(again.url(3, "/ISAPI/System/deviceInfo"), auth=HTTPDigestAuth("admin", GOOD_PASSWORD), timeout=10)
        assert f"<serialNumber>{serials[3]}</serialNumber>" in reply.text
    finally:
        again.stop()


def test_farm_without_a_password_file_starts_every_device_not_activated(tmp_path):
    farm = Farm(tmp_path / "farm", 3)
    try:
        for index in range(3):
            status = requests.get(farm.url(index, "/SDK/activateStatus"), timeout=10)
            assert "<Activated>false</Activated>" in status.text
    finally:
        farm.stop()


def test_farm_refuses_a_lab_password_that_breaks_the_policy(tmp_path):
    weak = tmp_path / "weak"
    weak.write_text("12345\n")
    result = reclaim_device("farm", "--count", "2", "--http-port", str(free_port()), "--data", str(tmp_path / "f"),
                            "--activated-password-file", str(weak), check=False)
    assert result.returncode != 0
    assert "at least 8 characters" in result.stderr


def test_label_and_button_reach_one_device_of_the_farm(tmp_path, password_file):
    farm = Farm(tmp_path / "farm", 3, password_file)
    try:
        info = requests.get(farm.url(1, "/ISAPI/System/deviceInfo"), auth=HTTPDigestAuth("admin", GOOD_PASSWORD), timeout=10)
        serial = re.search(r"<serialNumber>(.*)</serialNumber>", info.text).group(1)

        label = json.loads(reclaim_device("label", serial, "--data", str(tmp_path / "farm"), "--json").stdout)
        assert label["serial"] == serial and re.fullmatch(r"[A-Z]{6}", label["verificationCode"])

        short = reclaim_device("button", serial, "--hold", "3", "--data", str(tmp_path / "farm"))
        assert "nothing changed" in short.stdout
        assert "<Activated>true</Activated>" in requests.get(farm.url(1, "/SDK/activateStatus"), timeout=10).text

        held = reclaim_device("button", serial, "--hold", "12", "--data", str(tmp_path / "farm"))
        assert "reset to factory state" in held.stdout
        assert "<Activated>false</Activated>" in requests.get(farm.url(1, "/SDK/activateStatus"), timeout=10).text
        # Only that device: its neighbours keep their password.
        assert "<Activated>true</Activated>" in requests.get(farm.url(0, "/SDK/activateStatus"), timeout=10).text

        unknown = reclaim_device("button", "DS-NOPE20200101AAAA1", "--hold", "12", "--data", str(tmp_path / "farm"), check=False)
        assert unknown.returncode != 0 and "no device with serial" in unknown.stderr
    finally:
        farm.stop()
    stopped = reclaim_device("button", serial, "--hold", "12", "--data", str(tmp_path / "farm"), check=False)
    assert stopped.returncode != 0 and "No running device" in stopped.stderr


def test_provision_prints_the_enrollment_record(tmp_path):
    result = reclaim_device("provision", "--data", str(tmp_path / "new"), "--model", "DS-7608NXI-K2",
                            "--authority-bundle", str(VECTORS / "authority-bundle.json"))
    record = json.loads(result.stdout)
    assert record["model"] == "DS-7608NXI-K2"
    assert record["serial"].startswith("DS-7608NXI-K2")
    assert {"identityKey", "agreementKey", "labelCode", "mac", "authorityKeyID"} <= record.keys()
    again = reclaim_device("provision", "--data", str(tmp_path / "new"),
                           "--authority-bundle", str(VECTORS / "authority-bundle.json"), check=False)
    assert again.returncode != 0 and "already holds a device" in again.stderr
