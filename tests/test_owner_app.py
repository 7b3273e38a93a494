"""The owner app beyond one reset, in real browsers: a device added from a photo of its
label, an installer's authorisation request accepted, a reset the device refuses by its
policy, the device's history, pages that follow without reloading, and a share revoked
with the owner app's button."""

import json
import subprocess

import requests
from requests.auth import HTTPDigestAuth
from selenium.webdriver.common.by import By

from conftest import BIN, GOOD_PASSWORD, OTHER_PASSWORD
from test_device_web_page import browser, click, fill  # noqa: F401  (the browser fixture)
from test_owner_reset import linked_device, owner, second_browser, text_of, wait_text  # noqa: F401  (fixtures)
from test_platform_email_recovery import RESERVED, platform, smtp_sink, wait_for_mail  # noqa: F401  (fixtures)
from test_support_cases import installer, sign_in

# Within every rule the page checks (length, two kinds, no user name), but on the device's
# list of common passwords, which only the device holds.
WEAK_BY_THE_DEVICE = "password1"


def test_access_request_photo_of_the_label_a_refused_password_history_and_revoke(
        linked_device, platform, smtp_sink, browser, tmp_path):
    device = linked_device
    installer_email = installer(platform, tmp_path, email="ivo@example.com", company="Impianti Verdi")
    owner_email = owner(platform, tmp_path)
    label = tmp_path / "label.png"
    subprocess.run([str(BIN / "reclaim-device"), "label", device.serial, "--data", str(device.data), "--png", str(label)],
                   check=True, capture_output=True)

    sign_in(browser, platform, installer_email)
    owners = second_browser()
    try:
        sign_in(owners, platform, owner_email)
        # The owner adds the device from a photo of its label: no serial, no code typed.
        owners.get(platform.base + "/app")
        owners.find_element(By.ID, "add-photo").send_keys(str(label))
        owners.find_element(By.ID, "add-site-name").send_keys("Negozio")
        click(owners, "add-submit")
        assert "Device added" in owners.page_source, owners.page_source[:2000]
        assert device.serial in owners.find_element(By.ID, f"device-{device.serial}").text

        # The installer sends an authorisation request; the owner accepts it for the site.
        click(browser, "nav-sites")
        assert device.serial not in browser.page_source
        browser.find_element(By.ID, "access-email").send_keys(owner_email)
        browser.find_element(By.ID, "access-note").send_keys("Contratto di manutenzione")
        click(browser, "access-send")
        assert "Authorisation request sent" in browser.page_source
        assert "Waiting for the owner" in browser.find_element(By.ID, "access-requests").text
        browser.execute_script("window.stillHere = 1")

        owners.get(platform.base + "/app")
        card = owners.find_element(By.CSS_SELECTOR, "form.access")
        assert "Impianti Verdi" in card.text and "Contratto di manutenzione" in card.text
        card.find_element(By.CSS_SELECTOR, "button.access-accept").click()
        wait_text(owners, "notice", "Authorisation request accepted")

        # The installer's page shows the shared site without reloading.
        wait_text(browser, "shared-sites", device.serial)
        assert browser.execute_script("return window.stillHere") == 1, "the page updated in place"
        assert "Accepted" in text_of(browser, "access-requests")

        # A reset the page lets through and the device refuses by its policy: both read why.
        # (A password against the rules the page knows is refused before it is sealed.)
        browser.get(platform.base + f"/sites/devices/{device.serial}/reset")
        browser.find_element(By.ID, "mode-off-site").click()
        click(browser, "reset-ask")
        browser.execute_script("window.stillHere = 1")
        owners.get(platform.base + "/app")
        owners.find_element(By.CSS_SELECTOR, "#services a").click()
        owners.find_element(By.ID, "new-password").send_keys(WEAK_BY_THE_DEVICE)
        owners.find_element(By.ID, "new-password-again").send_keys(WEAK_BY_THE_DEVICE)
        click(owners, "approve")
        wait_text(owners, "reset-state", "Not changed")
        assert "common passwords" in text_of(owners, "reset-failure")
        wait_text(browser, "reset-state", "Not changed")
        assert browser.execute_script("return window.stillHere") == 1
        assert "common passwords" in text_of(browser, "reset-failure")

        # The device's page: its history shows the request and how it ended.
        owners.get(platform.base + f"/app/devices/{device.serial}")
        history = owners.find_element(By.ID, "history").text
        assert "Impianti Verdi" in history and "Not changed" in history, history

        # The owner revokes the share with the app's button: the installer loses the device at once.
        owners.get(platform.base + "/app")
        owners.find_element(By.CSS_SELECTOR, "button.revoke").click()
        wait_text(owners, "notice", "Share revoked")
        browser.get(platform.base + "/sites")
        assert browser.find_elements(By.ID, f"device-{device.serial}") == []
        assert "No site is shared" in browser.find_element(By.ID, "no-sites").text
        browser.get(platform.base + f"/sites/devices/{device.serial}/reset")
        assert "reset-ask" not in browser.page_source
    finally:
        owners.quit()


def test_the_owner_app_scans_the_reserved_email_qr_and_the_owner_hears_of_the_code_and_its_use(
        linked_device, platform, smtp_sink, browser, tmp_path):
    device = linked_device
    owner_email = owner(platform, tmp_path, email="olivia@example.com", language="it")
    reply = requests.put(device.base + "/ISAPI/Security/securityEmail?format=json",
                         data=json.dumps({"SecurityEmail": {"SecurityInformation": [{"emailAddress": RESERVED}],
                                                            "password": GOOD_PASSWORD}}),
                         auth=HTTPDigestAuth("admin", GOOD_PASSWORD), timeout=10)
    assert reply.status_code == 200, reply.text
    owners = second_browser()
    try:
        sign_in(owners, platform, owner_email, "it")
        owners.get(platform.base + "/app")
        owners.find_element(By.ID, "add-serial").send_keys(device.serial)
        owners.find_element(By.ID, "add-code").send_keys(device.code)
        owners.find_element(By.ID, "add-site-name").send_keys("Casa")
        click(owners, "add-submit")
        assert "Dispositivo aggiunto" in owners.page_source

        # On the device: forgot password → reserved e-mail → the QR; the app scans it.
        browser.get(device.base + "/forgot/email")
        click(browser, "generate")
        qr_picture = tmp_path / "qr.png"
        browser.find_element(By.ID, "qr").screenshot(str(qr_picture))
        owners.get(platform.base + "/app")
        owners.find_element(By.ID, "scan-picture").send_keys(str(qr_picture))
        click(owners, "scan-submit")
        assert owners.find_element(By.ID, "notice").text

        # The code goes to the reserved address; the owner hears, in Italian, that it was sent.
        wait_for_mail(smtp_sink, 2)
        by_recipient = {tuple(r): m.get_body(("plain",)).get_content() for r, m in smtp_sink.messages}
        code = by_recipient[(RESERVED,)].split("Verification code: ")[1].split()[0]
        assert "codice di verifica" in by_recipient[(owner_email,)], by_recipient
        assert code not in by_recipient[(owner_email,)]

        # The code used on the device's page: the device tells the platform, the owner reads it.
        browser.get(device.base + "/forgot/email")
        fill(browser, "code", code)
        fill(browser, "new-password", OTHER_PASSWORD)
        fill(browser, "confirm-password", OTHER_PASSWORD)
        click(browser, "confirm")
        owners.get(platform.base + f"/app/devices/{device.serial}")
        wait_text(owners, "history", "Password reimpostata sul dispositivo: codice dell'email riservata")
        assert "Emissione: codice di verifica" in text_of(owners, "history")
    finally:
        owners.quit()
