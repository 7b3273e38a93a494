"""The published serial+date reset code, computed by an independent tool
(`hikvision-recover` from PyPI) for the device's own serial, opens nothing."""

import datetime
import re

import requests
from hikvision_recover.recover import get_code

from conftest import GOOD_PASSWORD, OTHER_PASSWORD


def test_hikvision_recover_reproduces_the_published_vector():
    assert get_code("DS-ABC1234567-HIJKLMNOPQRS10987654321", "2017", "01", "25") == "SyrReQQe99"


def test_serial_and_date_code_is_refused_as_a_reset_key(activated_device):
    info = activated_device.get("/ISAPI/System/deviceInfo")
    serial = re.search(r"<serialNumber>(.*)</serialNumber>", info.text).group(1)
    today = datetime.date.today()
    made = re.search(r"(20\d{6})[A-Z]{4}\d+$", serial).group(1)
    for year, month, day in [(str(today.year), f"{today.month:02d}", f"{today.day:02d}"), (made[:4], made[4:6], made[6:])]:
        code = get_code(serial, year, month, day)
        body = f"<ResetKeyReset><resetKey>{code}</resetKey><newPassword>{OTHER_PASSWORD}</newPassword></ResetKeyReset>"
        reply = requests.post(activated_device.base + "/ISAPI/Security/recovery/resetKey", data=body, timeout=10)
        assert reply.status_code == 403, reply.text
        assert "<subStatusCode>badAuthorization</subStatusCode>" in reply.text
    assert activated_device.get("/ISAPI/Security/userCheck", password=GOOD_PASSWORD).status_code == 200
