"""The label `reclaim-device label --png` draws reads, with a reader Reclaim does not
use (zxing-cpp), as what the enrollment record says: the QR code holds the serial, the
verification code and the model; the barcode holds the serial."""

import json
from pathlib import Path

import zxingcpp
from PIL import Image

from test_farm_and_cli import VECTORS, reclaim_device


def test_the_drawn_label_reads_as_the_enrollment_record(tmp_path):
    data = tmp_path / "device"
    record = json.loads(reclaim_device("provision", "--data", str(data), "--model", "DS-2CD2143G2-IS",
                                       "--authority-bundle", str(VECTORS / "authority-bundle.json")).stdout)
    png = tmp_path / "label.png"
    printed = json.loads(reclaim_device("label", record["serial"], "--data", str(data), "--png", str(png), "--json").stdout)
    assert printed["verificationCode"] == record["labelCode"]

    picture = Image.open(png)
    assert 560 <= picture.width <= 640 and 380 <= picture.height <= 420, picture.size
    found = {result.format.name: result.text for result in zxingcpp.read_barcodes(picture)}
    assert found.get("QRCode") == f"RCL1 {record['serial']} {record['labelCode']} {record['model']}"
    assert found.get("Code128") == record["serial"]


def test_a_label_for_an_unknown_serial_says_where_to_look(tmp_path):
    result = reclaim_device("label", "DS-2CD2143G2-IS20230101AAAA000000001", "--data", str(tmp_path),
                            "--png", str(tmp_path / "x.png"), check=False)
    assert result.returncode != 0 and "--data" in result.stderr
    assert not (tmp_path / "x.png").exists()
