"""Persistence is atomic: killing the device at any instant of a password change
leaves either the old or the new password working, never neither."""

import random
import threading
import time

import requests
from requests.auth import HTTPDigestAuth

from conftest import GOOD_PASSWORD, DeviceProcess, free_port


def change_password(device, current, new):
    body = (
        f"<User><id>1</id><userName>admin</userName><password>{new}</password>"
        f"<loginPassword>{current}</loginPassword></User>"
    )
    try:
        requests.put(device.base + "/ISAPI/Security/users/1", data=body, auth=HTTPDigestAuth("admin", current), timeout=10)
    except requests.RequestException:
        pass  # killed mid-request: the point of the test


def works(device, password):
    return device.get("/ISAPI/Security/userCheck", password=password).status_code == 200


def test_killing_the_device_mid_change_never_loses_both_passwords(tmp_path):
    # The standard hash cost makes a change take long enough for kills to land inside it.
    device = DeviceProcess(tmp_path / "device", free_port())
    device.start()
    device.activate(GOOD_PASSWORD)
    started = time.monotonic()
    change_password(device, GOOD_PASSWORD, "Warm-up-99x")
    duration = time.monotonic() - started
    current = "Warm-up-99x"
    assert works(device, current)

    # The kills sweep from the start of a change to well past its end (in a shuffled order),
    # so some land before the commit and some after it even when a busy machine makes a
    # change slower or faster than the warm-up was.
    rng = random.Random(7)
    delays = [duration * 2.5 * i / 29 for i in range(30)]
    rng.shuffle(delays)
    kept_old = kept_new = 0
    for round, delay in enumerate(delays):
        new = f"Round-{round:02d}-Qz"
        request = threading.Thread(target=change_password, args=(device, current, new))
        request.start()
        time.sleep(delay)
        device.kill()
        request.join()
        device.start()
        if works(device, current):
            kept_old += 1
        else:
            assert works(device, new), f"round {round}: neither the old nor the new password works"
            kept_new += 1
            current = new
    device.stop()
    print(f"change takes {duration * 1000:.0f} ms; kept the old password {kept_old} times, the new {kept_new}")
    # Kills landed on both sides of the commit, so both outcomes were exercised.
    assert kept_old > 0 and kept_new > 0, (kept_old, kept_new)
