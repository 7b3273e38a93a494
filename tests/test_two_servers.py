"""Two `reclaim-server` processes on one PostgreSQL database serve one fleet: the device is
linked to the first, the installer and the owner talk to the second, and the command goes
from the second to the first through PostgreSQL (LISTEN/NOTIFY), and the outcome back."""

import time

import pytest
import requests

from conftest import GOOD_PASSWORD, OTHER_PASSWORD, POSTGRES_SOCKET, free_port
from test_owner_reset import linked_device, owner  # noqa: F401  (fixtures)
from test_platform_email_recovery import ServerProcess, platform, smtp_sink  # noqa: F401  (fixtures)
from test_support_cases import PASSWORD, installer

pytestmark = pytest.mark.skipif(not POSTGRES_SOCKET, reason="several servers share one fleet only on PostgreSQL")


def seal(password: str, serial: str, device_key_b64: str) -> str:
    """What the owner app's page does with WebCrypto: X25519 + HKDF-SHA256 + AES-256-GCM to the device's key."""
    import base64
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    import os
    device_raw = base64.b64decode(device_key_b64)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw = ephemeral.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(device_raw))
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=serial.encode(),
               info=b"reclaim owner password v1" + ephemeral_raw + device_raw).derive(shared)
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, password.encode(), serial.encode())
    return base64.b64encode(ephemeral_raw + nonce + sealed).decode()


def token(server, email):
    answer = requests.post(server.base + "/api/v1/tokens", json={"email": email, "password": PASSWORD}, timeout=10)
    assert answer.status_code in (200, 201), answer.text
    return {"Authorization": "Bearer " + answer.json()["token"]}


def test_a_command_taken_by_one_server_reaches_a_device_linked_to_another(linked_device, platform, tmp_path):
    device = linked_device
    second = ServerProcess(platform.data, free_port(), {"RECLAIM_PASSWORDS_COST": "light"}, database=platform.database)
    try:
        installer_email = installer(platform, tmp_path, email="ivo@example.com", company="Impianti Verdi")
        owner_email = owner(platform, tmp_path)
        installers, owners = token(second, installer_email), token(second, owner_email)
        company = requests.get(second.base + "/api/v1/me", headers=installers, timeout=10).json()["companyId"]

        # Everything through the second server; the device's link is held by the first.
        site = requests.post(second.base + "/api/v1/sites", json={"name": "Negozio"}, headers=owners, timeout=10).json()
        added = requests.post(second.base + f"/api/v1/sites/{site['id']}/devices",
                              json={"serial": device.serial, "verificationCode": device.code}, headers=owners, timeout=10)
        assert added.status_code == 201, added.text
        shared = requests.post(second.base + f"/api/v1/sites/{site['id']}/shares",
                               json={"company": company, "mayReset": True}, headers=owners, timeout=10)
        assert shared.status_code == 201, shared.text
        seen = requests.get(second.base + f"/api/v1/devices/{device.serial}", headers=installers, timeout=10).json()
        assert seen["online"] is True, seen

        asked = requests.post(second.base + f"/api/v1/devices/{device.serial}/reset-requests", json={"mode": "off-site"},
                              headers=installers, timeout=10)
        assert asked.status_code == 201, asked.text
        request_id = asked.json()["request"]["id"]
        sealed = seal(OTHER_PASSWORD, device.serial, seen["agreementKey"])
        approved = requests.post(second.base + f"/api/v1/reset-requests/{request_id}/approve", json={"sealedPassword": sealed},
                                 headers=owners, timeout=10)
        assert approved.status_code == 200, approved.text

        # The outcome, as the second server tells the installer.
        deadline, state = time.monotonic() + 20, None
        while time.monotonic() < deadline and state != "changed":
            state = requests.get(second.base + f"/api/v1/reset-requests/{request_id}", headers=installers, timeout=10).json()["state"]
            time.sleep(0.2)
        assert state == "changed"
        assert device.get("/ISAPI/System/deviceInfo", password=OTHER_PASSWORD).status_code == 200
        assert device.get("/ISAPI/System/deviceInfo", password=GOOD_PASSWORD).status_code == 401
    finally:
        second.stop()
