"""Independent ISAPI client libraries from PyPI against a Reclaim device.

Two sides written by the same hand can agree on the same mistake; these clients were
written for real cameras, so they check that Reclaim's device answers the way real
devices do: Digest after a Basic attempt, namespaced XML, and a wrong password that
fails the way each library reports it.
"""

import logging

import hikvisionapi
import pyhik
import pytest
import requests
from pyhik.hikvision import HikCamera

from conftest import GOOD_PASSWORD


def test_pyhik_camera_connects_and_reads_device_info_and_triggers(activated_device):
    camera = HikCamera(activated_device.base, usr="admin", pwd=GOOD_PASSWORD)
    assert camera.get_name == "IP CAMERA"
    assert camera.get_id and len(str(camera.get_id)) > 10
    assert camera.get_type == "CAM"
    # Motion sensor from /ISAPI/Event/triggers, motion detection state from channel 1.
    assert "Motion" in camera.current_event_states
    assert camera.current_motion_detection_state is False


def test_pyhik_camera_toggles_motion_detection(activated_device):
    camera = HikCamera(activated_device.base, usr="admin", pwd=GOOD_PASSWORD)
    camera.enable_motion_detection()
    again = HikCamera(activated_device.base, usr="admin", pwd=GOOD_PASSWORD)
    assert again.current_motion_detection_state is True


def test_pyhik_camera_with_wrong_password_fails_like_on_a_real_device(activated_device, caplog):
    with caplog.at_level(logging.ERROR, logger="pyhik.hikvision"):
        camera = HikCamera(activated_device.base, usr="admin", pwd="Wrong-pass1")
    assert camera.get_name is None
    assert "Authentication failed" in caplog.text


def test_pyhik_isapi_client_reads_device_info(activated_device):
    client = pyhik.ISAPIClient("127.0.0.1", port=activated_device.port, username="admin", password=GOOD_PASSWORD)
    info = client.get_device_info()
    assert info["serialNumber"].startswith(info["model"])
    assert info["deviceType"] == "IPCamera"


def test_pyhik_isapi_client_with_wrong_password_raises_auth_error(activated_device):
    client = pyhik.ISAPIClient("127.0.0.1", port=activated_device.port, username="admin", password="Wrong-pass1")
    with pytest.raises(pyhik.ISAPIAuthError):
        client.get_device_info()


def test_hikvisionapi_client_connects_and_reads_device_info(activated_device):
    client = hikvisionapi.Client(activated_device.base, "admin", GOOD_PASSWORD)
    info = client.System.deviceInfo(method="get")
    assert info["DeviceInfo"]["deviceName"] == "IP CAMERA"
    # Paths are matched without regard to case, as on real devices.
    assert client.System.deviceinfo(method="get")["DeviceInfo"]["model"] == info["DeviceInfo"]["model"]


def test_hikvisionapi_client_with_wrong_password_raises_401(activated_device):
    with pytest.raises(requests.exceptions.HTTPError, match="401"):
        hikvisionapi.Client(activated_device.base, "admin", "Wrong-pass1")


def test_basic_attempts_of_these_clients_are_not_counted_as_failures(activated_device):
    # Each client above sends Basic first; after many of them the right password still
    # works and no attempt was used up.
    for _ in range(8):
        HikCamera(activated_device.base, usr="admin", pwd=GOOD_PASSWORD)
    reply = activated_device.get("/ISAPI/Security/userCheck")
    assert reply.status_code == 200
    bad = activated_device.get("/ISAPI/Security/userCheck", password="Wrong-pass1")
    assert "<retryLoginTime>4</retryLoginTime>" in bad.text
