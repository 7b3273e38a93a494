"""Support cases (flows F5, F6) from outside: the installer in a real browser (English and
Italian), the reviewer desk, `reclaim case` in a terminal, and the key or file on a real
device through the LAN tool. Mail goes through a real SMTP server."""

import json
import re
import subprocess
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import BIN, OTHER_PASSWORD
from test_device_web_page import browser, click, fill, wait_for_download  # noqa: F401  (the browser fixture)
from test_platform_email_recovery import enrolled_device, platform, smtp_sink, wait_for_mail  # noqa: F401  (fixtures)

PASSWORD = "correct horse battery staple"


def installer(platform, tmp_path, email="installer@example.com", company="Impianti Rossi", language="en", certify=True):
    password = tmp_path / "account-password"
    password.write_text(PASSWORD + "\n")
    platform.cli("installer", "create", "--email", email, "--company", company, "--language", language,
                 "--password-file", str(password))
    if certify:
        platform.cli("installer", "certify", company)
    return email


def reviewer(platform, tmp_path, email="reviewer@example.com"):
    password = tmp_path / "account-password"
    password.write_text(PASSWORD + "\n")
    platform.cli("admin", "create", "--role", "reviewer", "--email", email, "--password-file", str(password))
    return email


def label_and_qr(device, platform, tmp_path):
    """The device's label as the factory printed it, and its support-case QR code exported over the LAN."""
    info = device.get("/ISAPI/System/deviceInfo").text
    serial = re.search(r"<serialNumber>([^<]+)</serialNumber>", info).group(1)
    label = tmp_path / "label.png"
    subprocess.run([str(BIN / "reclaim-device"), "label", serial, "--data", str(device.data), "--png", str(label)],
                   check=True, capture_output=True)
    qr = tmp_path / "qr.png"
    reclaim(device, "export-qr", "--device", "127.0.0.1", "--out", str(qr))
    return serial, label, qr


def reclaim(device, *args, check=True, stdin=None):
    result = subprocess.run([str(BIN / "reclaim"), *args, "--interface", "127.0.0.1", "--port", str(device.sadp_port)],
                            capture_output=True, text=True, timeout=90, input=stdin)
    assert not check or result.returncode == 0, result.stdout + result.stderr
    return result


def sign_in(browser, platform, email, language="en"):
    browser.get(platform.base + f"/signin?lang={language}")
    browser.find_element(By.NAME, "email").send_keys(email)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    click(browser, "signin-submit")


def wait_for_the_automatic_check(browser):
    """The case page, once the platform has read the uploads (Italian pages say "Verifica…" meanwhile)."""
    deadline = time.monotonic() + 15
    while not browser.find_elements(By.ID, "case-waiting") or "Verifica" in browser.find_element(By.ID, "case-waiting").text:
        assert time.monotonic() < deadline, "the automatic check never finished"
        time.sleep(0.5)
        browser.refresh()


def test_an_installer_opens_a_case_in_the_browser_and_resets_the_device_with_the_key(
        enrolled_device, platform, smtp_sink, browser, tmp_path):
    device = enrolled_device
    email = installer(platform, tmp_path)
    serial, label, qr = label_and_qr(device, platform, tmp_path)

    sign_in(browser, platform, email)
    click(browser, "nav-cases")
    click(browser, "new-case")
    browser.find_element(By.ID, "qr").send_keys(str(qr))
    browser.find_element(By.ID, "photo").send_keys(str(label))
    browser.find_element(By.ID, "acknowledged").click()
    click(browser, "case-submit")
    assert "Request sent" in browser.find_element(By.ID, "request-sent").text

    # Within seconds, without anyone at a desk: To confirm, with the key.
    deadline = time.monotonic() + 15
    while "To confirm" not in browser.find_element(By.ID, "case-state").text and time.monotonic() < deadline:
        time.sleep(0.5)
        browser.refresh()
    assert browser.find_element(By.ID, "case-state").text == "To confirm"
    assert browser.find_element(By.ID, "case-serial").text == serial
    key = browser.find_element(By.ID, "reset-key").get_attribute("value")
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{1,4})+", key), key
    copy = browser.find_element(By.ID, "copy-key")
    assert copy.is_displayed(), "the Copy button shows once its script ran"
    copy.click()
    deadline = time.monotonic() + 5
    while copy.text != "Copied" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert copy.text == "Copied"

    # The key works in the LAN tool, once.
    new_password = tmp_path / "new-password"
    new_password.write_text(OTHER_PASSWORD + "\n")
    done = reclaim(device, "forgot", "--device", "127.0.0.1", "--key", key, "--new-password-file", str(new_password))
    assert "the new admin password is set" in done.stdout + done.stderr
    assert device.get("/ISAPI/System/deviceInfo", password=OTHER_PASSWORD).status_code == 200

    click(browser, "close-case")
    assert browser.find_element(By.ID, "case-state").text == "Closed"

    # Told by mail at every step, through the SMTP server.
    wait_for_mail(smtp_sink, 3)
    subjects = [message["Subject"] for recipients, message in smtp_sink.messages if recipients == [email]]
    assert any("In progress" in s for s in subjects) and any("To confirm" in s for s in subjects), subjects
    assert all(key not in message.get_body(("plain",)).get_content() for _, message in smtp_sink.messages)


def test_an_unreadable_photo_goes_to_the_reviewer_who_approves_and_the_installer_is_told_in_italian(
        enrolled_device, platform, smtp_sink, browser, tmp_path):
    device = enrolled_device
    email = installer(platform, tmp_path, language="it")
    desk = reviewer(platform, tmp_path)
    serial, _, qr = label_and_qr(device, platform, tmp_path)

    sign_in(browser, platform, email, "it")
    click(browser, "nav-cases")
    click(browser, "new-case")
    browser.find_element(By.ID, "qr").send_keys(str(qr))
    browser.find_element(By.ID, "photo").send_keys(str(qr))  # a photo with no label in it
    browser.find_element(By.ID, "acknowledged").click()
    click(browser, "case-submit")
    assert "Richiesta inviata" in browser.find_element(By.ID, "request-sent").text
    wait_for_the_automatic_check(browser)
    assert "operatore del supporto tecnico" in browser.find_element(By.ID, "case-waiting").text
    assert browser.find_element(By.ID, "case-state").text == "In corso"
    case_url = browser.current_url.split("?")[0]
    click(browser, "signout")

    sign_in(browser, platform, desk)
    click(browser, "nav-desk")
    card = browser.find_element(By.CSS_SELECTOR, ".desk-case")
    assert serial in card.text
    photo = card.find_element(By.TAG_NAME, "img")
    assert browser.execute_script("return arguments[0].naturalWidth", photo) > 0, "the label photo shows on the desk"
    card.find_element(By.CSS_SELECTOR, "button.approve").click()
    time.sleep(0.5)
    assert browser.find_element(By.ID, "desk-empty")
    click(browser, "signout")

    sign_in(browser, platform, email, "it")
    assert "✉" in browser.find_element(By.ID, "nav-messages").text
    click(browser, "nav-messages")
    assert "è pronto" in browser.find_element(By.ID, "messages").text
    browser.get(case_url)
    assert browser.find_element(By.ID, "case-state").text == "Da confermare"
    assert browser.find_element(By.ID, "reset-key").get_attribute("value")
    wait_for_mail(smtp_sink, 3)
    italian = [message["Subject"] for recipients, message in smtp_sink.messages if recipients == [email]]
    assert any("Da confermare" in s for s in italian), italian


def test_reclaim_case_opens_waits_and_prints_a_key_that_works(enrolled_device, platform, tmp_path):
    device = enrolled_device
    email = installer(platform, tmp_path)
    token = subprocess.run(["curl", "-s", "-X", "POST", platform.base + "/api/v1/tokens", "-H", "content-type: application/json",
                            "-d", json.dumps({"email": email, "password": PASSWORD})], capture_output=True, text=True).stdout
    token_file = tmp_path / "token"
    token_file.write_text(json.loads(token)["token"])
    serial, label, _ = label_and_qr(device, platform, tmp_path)

    opened = reclaim(device, "case", "open", "--platform", platform.base, "--token-file", str(token_file),
                     "--device", "127.0.0.1", "--label", str(label), "--wait", "20", "--json")
    answer = json.loads(opened.stdout)
    assert answer["state"] == "to-confirm" and answer["channel"] == "lan-device" and answer["serial"] == serial
    new_password = tmp_path / "new-password"
    new_password.write_text(OTHER_PASSWORD + "\n")
    reclaim(device, "forgot", "--device", "127.0.0.1", "--key", answer["resetKey"], "--new-password-file", str(new_password))
    assert device.get("/ISAPI/System/deviceInfo", password=OTHER_PASSWORD).status_code == 200

    listed = subprocess.run([str(BIN / "reclaim"), "case", "list", "--platform", platform.base, "--token-file", str(token_file)],
                            capture_output=True, text=True, check=True).stdout
    assert answer["id"] in listed and "to-confirm" in listed
    closed = subprocess.run([str(BIN / "reclaim"), "case", "close", answer["id"], "--platform", platform.base,
                             "--token-file", str(token_file)], capture_output=True, text=True, check=True).stdout
    assert "closed" in closed
    wrong = subprocess.run([str(BIN / "reclaim"), "case", "status", "case_0000000000000000", "--platform", platform.base,
                            "--token-file", str(token_file)], capture_output=True, text=True)
    assert wrong.returncode != 0 and "No case" in wrong.stderr


class HelperProcess:
    """`reclaim helper` for the platform, paired with the code the portal page shows."""

    def __init__(self, platform, device, code):
        from conftest import free_port
        self.port = 47080 if port_is_free(47080) else free_port()
        self.process = subprocess.Popen(
            [str(BIN / "reclaim"), "helper", "--platform", platform.base, "--port", str(self.port),
             "--interface", "127.0.0.1", "--sadp-port", str(device.sadp_port)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.process.stdin.write(code + "\n")
        self.process.stdin.flush()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if port_is_free(self.port):
                time.sleep(0.1)
            else:
                return
        raise RuntimeError("reclaim helper did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def port_is_free(port):
    import socket
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def test_the_lan_device_channel_lists_devices_through_the_helper_and_opens_a_case(
        enrolled_device, platform, browser, tmp_path):
    device = enrolled_device
    email = installer(platform, tmp_path)
    serial, label, _ = label_and_qr(device, platform, tmp_path)
    sign_in(browser, platform, email)
    browser.get(platform.base + "/cases/new")
    status = browser.find_element(By.ID, "helper-status")
    deadline = time.monotonic() + 10
    while "does not answer" not in status.text and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "does not answer" in status.text, "without a helper the page says how to start it"
    code = browser.find_element(By.ID, "pairing-code").text
    helper = HelperProcess(platform, device, code)
    try:
        assert helper.port == 47080, "the page asks 127.0.0.1:47080 (tests run in a network namespace of their own)"
        pick = None
        deadline = time.monotonic() + 15
        while pick is None and time.monotonic() < deadline:
            found = browser.find_elements(By.ID, "pick-" + serial)
            pick = found[0] if found else None
            time.sleep(0.3)
        assert pick is not None, browser.find_element(By.ID, "helper-status").text
        fill(browser, "lan-search", serial[-9:-4])
        assert browser.find_elements(By.ID, "pick-" + serial), "search by part of the serial keeps it"
        fill(browser, "lan-search", "NOSUCHSERIAL")
        assert not browser.find_elements(By.ID, "pick-" + serial)
        search = browser.find_element(By.ID, "lan-search")
        search.send_keys(Keys.CONTROL, "a")
        search.send_keys(Keys.BACKSPACE)  # as a person empties the field
        browser.find_element(By.ID, "pick-" + serial).click()
        deadline = time.monotonic() + 15
        while browser.find_element(By.ID, "picked").text != serial and time.monotonic() < deadline:
            time.sleep(0.2)
        assert browser.find_element(By.ID, "challenge").get_attribute("value").startswith("RC1:")
        browser.find_element(By.ID, "photo").send_keys(str(label))
        browser.find_element(By.ID, "acknowledged").click()
        click(browser, "case-submit")
        deadline = time.monotonic() + 15
        while "To confirm" not in browser.find_element(By.ID, "case-state").text and time.monotonic() < deadline:
            time.sleep(0.5)
            browser.refresh()
        assert browser.find_element(By.ID, "case-state").text == "To confirm"
        assert "LAN device" in browser.page_source

        # A page of another origin, in the same browser, with the right pairing code, reads nothing.
        other = tmp_path / "other"
        other.mkdir()
        (other / "index.html").write_text("<html><body>another site</body></html>")
        from conftest import free_port
        other_port = free_port()
        site = subprocess.Popen([sys_python(), "-m", "http.server", str(other_port), "--bind", "127.0.0.1"],
                                cwd=str(other), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 10
            while port_is_free(other_port) and time.monotonic() < deadline:
                time.sleep(0.1)
            browser.get(f"http://127.0.0.1:{other_port}/index.html")
            outcome = browser.execute_async_script(
                """
                var done = arguments[arguments.length - 1];
                fetch('http://127.0.0.1:47080/devices', {headers: {'Authorization': 'Pairing ' + arguments[0]}})
                  .then(function (r) { return r.text(); }).then(function (t) { done('read: ' + t); })
                  .catch(function (e) { done('refused: ' + e); });
                """, code)
            assert outcome.startswith("refused"), outcome
            assert serial not in outcome
        finally:
            site.terminate()
    finally:
        helper.stop()


def sys_python():
    import sys
    return sys.executable


def test_the_label_of_another_device_is_rejected_with_the_reason_shown(enrolled_device, platform, browser, tmp_path):
    device = enrolled_device
    email = installer(platform, tmp_path)
    _, _, qr = label_and_qr(device, platform, tmp_path)
    # Another device, made by the same factory: its label is a real one, of the wrong device.
    bundle = tmp_path / "bundle-other.json"
    platform.cli("authority", "export-bundle", "--out", str(bundle))
    other = json.loads(subprocess.run([str(BIN / "reclaim-device"), "provision", "--data", str(tmp_path / "other"),
                                       "--authority-bundle", str(bundle)], check=True, capture_output=True, text=True).stdout)
    other_label = tmp_path / "other-label.png"
    subprocess.run([str(BIN / "reclaim-device"), "label", other["serial"], "--data", str(tmp_path / "other"),
                    "--png", str(other_label)], check=True, capture_output=True)

    sign_in(browser, platform, email)
    browser.get(platform.base + "/cases/new")
    browser.find_element(By.ID, "qr").send_keys(str(qr))
    browser.find_element(By.ID, "photo").send_keys(str(other_label))
    browser.find_element(By.ID, "acknowledged").click()
    click(browser, "case-submit")
    deadline = time.monotonic() + 15
    while "Rejected" not in browser.find_element(By.ID, "case-state").text and time.monotonic() < deadline:
        time.sleep(0.5)
        browser.refresh()
    assert browser.find_element(By.ID, "case-state").text == "Rejected"
    reason = browser.find_element(By.ID, "case-rejected").text
    assert "another device" in reason and other["serial"] in reason, reason
    assert not browser.find_elements(By.ID, "reset-key")


def test_a_recorders_case_gives_a_reset_file_that_reclaim_forgot_imports(platform, tmp_path):
    """NVRs and DVRs take a reset file ("Import File"): `reclaim case open --wait` saves it."""
    from conftest import DeviceProcess, free_port
    bundle = tmp_path / "bundle.json"
    platform.cli("authority", "export-bundle", "--out", str(bundle))
    data = tmp_path / "recorder"
    record = subprocess.run([str(BIN / "reclaim-device"), "provision", "--data", str(data), "--model", "DS-7608NXI-K2",
                             "--authority-bundle", str(bundle)], check=True, capture_output=True, text=True).stdout
    token = (platform.data / "authority" / "factory-token").read_text().strip()
    assert subprocess.run(["curl", "-sf", "-X", "POST", platform.base + "/api/v1/enrollments", "--data-binary", record,
                           "-H", f"Authorization: Bearer {token}"], capture_output=True).returncode == 0
    sadp_port = free_port()
    device = DeviceProcess(data, free_port(), ["--hash-cost", "light", "--authority-bundle", str(bundle),
                                               "--sadp-port", str(sadp_port), "--sadp-interface", "127.0.0.1"])
    device.sadp_port = sadp_port
    device.start()
    try:
        device.activate()
        email = installer(platform, tmp_path)
        api = subprocess.run(["curl", "-s", "-X", "POST", platform.base + "/api/v1/tokens", "-H", "content-type: application/json",
                              "-d", json.dumps({"email": email, "password": PASSWORD})], capture_output=True, text=True).stdout
        token_file = tmp_path / "token"
        token_file.write_text(json.loads(api)["token"])
        serial, label, _ = label_and_qr(device, platform, tmp_path)
        saved = tmp_path / "reset.xml"
        opened = reclaim(device, "case", "open", "--platform", platform.base, "--token-file", str(token_file),
                         "--device", "127.0.0.1", "--label", str(label), "--wait", "20", "--out", str(saved))
        assert "to-confirm" in opened.stdout and str(saved) in opened.stdout, opened.stdout
        assert saved.read_text().startswith("<?xml") and serial in saved.read_text()
        new_password = tmp_path / "new-password"
        new_password.write_text(OTHER_PASSWORD + "\n")
        done = reclaim(device, "forgot", "--device", "127.0.0.1", "--file", str(saved), "--new-password-file", str(new_password))
        assert "the new admin password is set" in done.stdout + done.stderr
        assert device.get("/ISAPI/System/deviceInfo", password=OTHER_PASSWORD).status_code == 200
    finally:
        device.stop()
