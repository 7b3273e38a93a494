"""The owner-approved reset (flow F7) from outside: a device with a cloud link to the
platform, the installer and the owner each in their own real browser, the new password
sealed in the owner's browser and taken by the device, checked with an ISAPI Digest request."""

import json
import re
import subprocess
import time

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By

from conftest import BIN, GOOD_PASSWORD, OTHER_PASSWORD, DeviceProcess, free_port
from test_device_web_page import browser, click  # noqa: F401  (the browser fixture)
from test_platform_email_recovery import platform, provision_enrolled, smtp_sink, wait_for_mail  # noqa: F401  (fixtures)
from test_support_cases import PASSWORD, installer, sign_in


def second_browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=420,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    return driver


@pytest.fixture
def linked_device(tmp_path, platform):
    """A device made with the platform's bundle, enrolled, activated, started with --platform."""
    data, bundle = provision_enrolled(tmp_path, platform)
    device = DeviceProcess(data, free_port(), ["--hash-cost", "light", "--authority-bundle", str(bundle), "--no-discovery",
                                               "--platform", platform.base])
    device.start()
    device.activate()
    serial = re.search(r"<serialNumber>([^<]+)</serialNumber>", device.get("/ISAPI/System/deviceInfo").text).group(1)
    label = json.loads(subprocess.run([str(BIN / "reclaim-device"), "label", serial, "--data", str(data), "--json"],
                                      check=True, capture_output=True, text=True).stdout)
    device.serial, device.code = label["serial"], label["verificationCode"]
    yield device
    device.stop()


def owner(platform, tmp_path, email="olivia@example.com", language="en"):
    password = tmp_path / "owner-password"
    password.write_text(PASSWORD + "\n")
    platform.cli("admin", "create", "--role", "owner", "--email", email, "--name", "Olivia", "--language", language,
                 "--password-file", str(password))
    return email


def text_of(driver, element_id):
    """The element's text, read again if the page reloaded under it (request pages reload themselves)."""
    for _ in range(20):
        try:
            return driver.find_element(By.ID, element_id).text
        except StaleElementReferenceException:
            time.sleep(0.1)
    return driver.find_element(By.ID, element_id).text


def wait_text(driver, element_id, text, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if text in driver.find_element(By.ID, element_id).text:
                return
        except Exception:
            pass
        time.sleep(0.3)
    assert text in text_of(driver, element_id)


def owner_adds_and_shares(owners, platform, device, company):
    click(owners, "nav-app")
    owners.find_element(By.ID, "add-serial").send_keys(device.serial)
    owners.find_element(By.ID, "add-code").send_keys(device.code)
    owners.find_element(By.ID, "add-name").send_keys("Ingresso")
    owners.find_element(By.ID, "add-site-name").send_keys("Negozio")
    click(owners, "add-submit")
    assert "Device added" in owners.page_source
    row = owners.find_element(By.ID, f"device-{device.serial}")
    assert "Online" in row.text, row.text
    owners.find_element(By.NAME, "company").send_keys(company)
    owners.find_element(By.CSS_SELECTOR, "button.share").click()
    wait_text(owners, "notice", "Site shared")


def test_off_site_the_owner_approves_in_the_app_and_the_device_takes_the_sealed_password(
        linked_device, platform, smtp_sink, browser, tmp_path):
    device = linked_device
    installer_email = installer(platform, tmp_path, email="ivo@example.com", company="Impianti Verdi")
    owner_email = owner(platform, tmp_path)

    sign_in(browser, platform, installer_email)
    click(browser, "nav-sites")
    company = browser.find_element(By.ID, "company-code").text
    owners = second_browser()
    try:
        sign_in(owners, platform, owner_email)
        owner_adds_and_shares(owners, platform, device, company)

        # The installer: Sites and devices → the device → Reset device password → off-site.
        browser.refresh()
        row = browser.find_element(By.ID, f"device-{device.serial}")
        assert "Online" in row.text
        row.find_element(By.CLASS_NAME, "reset-link").click()
        browser.find_element(By.ID, "mode-off-site").click()
        click(browser, "reset-ask")
        assert "o…a@example.com" in text_of(browser, "request-sent")
        assert text_of(browser, "reset-state") == "Waiting for the owner"

        # The owner: Services → Reset device password; the new password twice, sealed in the page.
        owners.get(platform.base + "/app")
        link = owners.find_element(By.CSS_SELECTOR, "#services a")
        assert "Impianti Verdi" in link.text and device.serial in link.text
        link.click()
        # The page checks the device's rules before it seals anything: every rule broken, at once.
        for field in ("new-password", "new-password-again"):
            owners.find_element(By.ID, field).send_keys("myadminpassword")
        owners.find_element(By.ID, "approve").click()
        broken = owners.find_element(By.ID, "approve-error").text
        assert "must mix at least 2" in broken and "must not contain the user name" in broken, broken
        for field in ("new-password", "new-password-again"):
            owners.find_element(By.ID, field).clear()
        owners.find_element(By.ID, "new-password").send_keys(OTHER_PASSWORD)
        owners.find_element(By.ID, "new-password-again").send_keys(OTHER_PASSWORD + "x")
        owners.find_element(By.ID, "approve").click()
        assert "differ" in owners.find_element(By.ID, "approve-error").text
        owners.find_element(By.ID, "new-password-again").clear()
        owners.find_element(By.ID, "new-password-again").send_keys(OTHER_PASSWORD)
        click(owners, "approve")
        wait_text(owners, "reset-state", "Password changed")
        # The installer's page follows by itself.
        wait_text(browser, "reset-state", "Password changed")
    finally:
        owners.quit()

    assert device.get("/ISAPI/System/deviceInfo", password=OTHER_PASSWORD).status_code == 200
    assert device.get("/ISAPI/System/deviceInfo", password=GOOD_PASSWORD).status_code == 401

    # Both told by mail; the password in no mail and nowhere in the platform's data.
    wait_for_mail(smtp_sink, 3)
    told = {tuple(recipients): message.get_body(("plain",)).get_content() for recipients, message in smtp_sink.messages
            if "was changed" in message.get_body(("plain",)).get_content()}
    assert (owner_email,) in told and (installer_email,) in told, list(told)
    assert all(OTHER_PASSWORD not in m.get_body(("plain",)).get_content() for _, m in smtp_sink.messages)
    for path in platform.data.rglob("*"):
        if path.is_file():
            assert OTHER_PASSWORD.encode() not in path.read_bytes(), path


def test_on_site_the_installer_sees_the_countdown_and_the_owner_may_refuse(
        linked_device, platform, smtp_sink, browser, tmp_path):
    device = linked_device
    installer_email = installer(platform, tmp_path, email="ivo@example.com", company="Impianti Verdi")
    owner_email = owner(platform, tmp_path, email="olivia@example.com", language="it")
    sign_in(browser, platform, installer_email)
    click(browser, "nav-sites")
    company = browser.find_element(By.ID, "company-code").text
    owners = second_browser()
    try:
        sign_in(owners, platform, owner_email, "it")
        click(owners, "nav-app")
        owners.get(platform.base + "/app?lang=en")
        owner_adds_and_shares(owners, platform, device, company)

        browser.get(platform.base + f"/sites/devices/{device.serial}/reset")
        browser.find_element(By.ID, "mode-on-site").click()
        click(browser, "reset-ask")
        first = text_of(browser, "countdown")
        assert first.startswith("04:5") or first.startswith("05:00"), first
        time.sleep(2.5)
        assert text_of(browser, "countdown") < first, "the countdown runs"

        owners.get(platform.base + "/app?lang=it")
        owners.find_element(By.CSS_SELECTOR, "#services a").click()
        assert "In sede" in owners.page_source
        click(owners, "decline")
        assert owners.find_element(By.ID, "reset-state").text == "Rifiutata dal proprietario"
        wait_text(browser, "reset-state", "Refused by the owner")
    finally:
        owners.quit()
    assert device.get("/ISAPI/System/deviceInfo", password=GOOD_PASSWORD).status_code == 200
