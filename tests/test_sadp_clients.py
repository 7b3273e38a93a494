"""An independent SADP client from PyPI (`hiktools`) discovers Reclaim devices and
parses their ProbeMatch. Runs only where loopback carries multicast (scripts/test runs
the Python tests in a private network namespace)."""

import os
import uuid

import pytest
from hiktools import sadp

import subprocess

from conftest import AUTHORITY_BUNDLE, BIN
from test_farm_and_cli import GOOD_PASSWORD, Farm

pytestmark = pytest.mark.skipif(os.environ.get("RECLAIM_NETNS") != "1", reason="needs multicast on loopback (a network namespace)")


def discover_with_hiktools(timeout=2):
    probe = sadp.fromdict({"Uuid": str(uuid.uuid4()).upper(), "Types": "inquiry"})
    found = {}
    with sadp.SADPClient(port=37020, timeout=timeout) as client:
        client.write(probe)
        for response in client:
            message = sadp.unmarshal(response.toxml())
            found[message["MAC"]] = message
    return found


def test_hiktools_discovers_every_farm_device_and_reads_its_probe_match(tmp_path):
    password = tmp_path / "password"
    password.write_text(GOOD_PASSWORD + "\n")
    farm = Farm(tmp_path / "farm", 5, password, sadp_port=37020)
    try:
        found = discover_with_hiktools()
        assert len(found) == 5, found.keys()
        for message in found.values():
            assert message["Types"] == "inquiry"
            assert message["Activated"] == "true"
            assert message["IPv4Address"].startswith("127.1.0.")
            assert message["DeviceSN"].startswith(message["DeviceDescription"])
            assert message["HttpPort"] == str(farm.port)
            assert message["ReclaimProtocol"] == "1"
    finally:
        farm.stop()


def test_the_lan_tools_qr_code_png_scans_to_the_text_it_prints(tmp_path):
    password = tmp_path / "password"
    password.write_text(GOOD_PASSWORD + "\n")
    farm = Farm(tmp_path / "farm", 2, password, extra=["--authority-bundle", str(AUTHORITY_BUNDLE)])
    try:
        png = tmp_path / "support.png"
        result = subprocess.run(
            [str(BIN / "reclaim"), "export-qr", "--device", "127.1.0.2", "--out", str(png),
             "--interface", "127.0.0.1", "--port", str(farm.sadp_port)],
            capture_output=True, text=True, timeout=60, check=True)
        text = result.stdout.strip()
        assert text.startswith("RC1:")
        assert "QR code written to" in result.stderr
        scanned = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, timeout=30)
        assert scanned.stdout.strip() == text
    finally:
        farm.stop()
