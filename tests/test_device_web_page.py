"""The device web page in a real browser (Debian's chromium, driven by Selenium).

A user activates the device, exports a GUID file, forgets the password, and gets back in
with the GUID file, in the page's own forms; then finds the file used up.
"""

import os
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import GOOD_PASSWORD, OTHER_PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture
def browser(tmp_path, request):
    yield from browser_session(tmp_path, request)


def browser_session(tmp_path, request, accept_language=None):
    """A headless Chromium; with `accept_language` ("it-IT,it"), one set up in that language,
    as an Italian user's browser asks for pages."""
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,1400"):
        options.add_argument(flag)
    prefs = {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    if accept_language:
        options.add_argument("--lang=" + accept_language.split(",")[0])
        prefs["intl.accept_languages"] = accept_language
    options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    driver.downloads = downloads
    yield driver
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / f"{request.node.name}.png"))
    driver.quit()


def click(driver, element_id):
    """Clicks and waits for the next page, so no assertion reads the old one."""
    for attempt in range(3):
        try:
            page = driver.find_element(By.TAG_NAME, "html")
            driver.find_element(By.ID, element_id).click()
            break
        except (StaleElementReferenceException, WebDriverException):
            # The page was still being replaced (after a download, say): find it again.
            if attempt == 2:
                raise
            time.sleep(0.2)
    WebDriverWait(driver, 10).until(replaced(page))


def replaced(page):
    """Like selenium's staleness_of, but Chromium sometimes reports a replaced page as an
    "unknown error: Node with given id does not belong to the document" instead of a stale
    element: that means replaced too."""
    def check(_driver):
        try:
            page.is_enabled()
            return False
        except WebDriverException:  # StaleElementReferenceException is one
            return True
    return check


def fill(driver, element_id, text):
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def wait_for_download(folder: Path, timeout=10.0) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # Chromium writes under a temporary name first, then renames: wait for the final one.
        files = [f for f in folder.iterdir() if not f.name.startswith(".") and not f.name.endswith(".crdownload")]
        if files:
            return files[0]
        time.sleep(0.1)
    raise AssertionError("the GUID file was not downloaded")


def test_forgot_password_with_a_guid_file(device, browser):
    browser.get(device.base + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Activate the device"

    # A weak password is refused with the rule it breaks.
    fill(browser, "password", "admin123")
    fill(browser, "confirm", "admin123")
    click(browser, "activate")
    assert "common passwords" in browser.find_element(By.ID, "error").text

    fill(browser, "password", GOOD_PASSWORD)
    fill(browser, "confirm", GOOD_PASSWORD)
    click(browser, "activate")
    assert "set up at least one way to recover" in browser.find_element(By.ID, "notice").text

    # Export the GUID file from the signed-in page.
    fill(browser, "guid-password", GOOD_PASSWORD)
    browser.find_element(By.ID, "export-guid").click()
    guid_file = wait_for_download(browser.downloads)
    assert guid_file.name.startswith("GUID_")
    browser.get(device.base + "/")
    WebDriverWait(browser, 10).until(lambda driver: "Exported on" in driver.find_element(By.ID, "guid-state").text)
    click(browser, "signout")

    # The password is forgotten: recover it with the GUID file.
    click(browser, "forgot")
    click(browser, "mode-guid")
    browser.find_element(By.ID, "guid-file").send_keys(str(guid_file))
    fill(browser, "new-password", OTHER_PASSWORD)
    fill(browser, "confirm-password", OTHER_PASSWORD)
    click(browser, "confirm")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Password changed"
    assert "export a new GUID file" in browser.find_element(By.ID, "message").text

    # The old password no longer works, the new one does.
    click(browser, "continue")
    fill(browser, "password", GOOD_PASSWORD)
    click(browser, "signin")
    assert "attempts left" in browser.find_element(By.ID, "error").text
    fill(browser, "password", OTHER_PASSWORD)
    click(browser, "signin")
    assert "None is valid" in browser.find_element(By.ID, "guid-state").text
    click(browser, "signout")

    # The GUID file worked once: its mode is no longer offered.
    browser.get(device.base + "/forgot")
    assert not browser.find_elements(By.ID, "mode-guid")
    assert device.get("/ISAPI/System/deviceInfo", password=OTHER_PASSWORD).status_code == 200


def test_a_wrong_guid_file_is_refused_with_attempts_left_in_italian(activated_device, browser, tmp_path):
    exported = activated_device.post(
        "/ISAPI/Security/GUIDFileData", f"<GUIDFileExport><password>{GOOD_PASSWORD}</password></GUIDFileExport>")
    assert exported.status_code == 200
    forged = tmp_path / "forged.guid.xml"
    forged.write_text(exported.text.replace(exported.text.split("<guid>")[1].split("</guid>")[0], "A" * 52))

    browser.get(activated_device.base + "/forgot?lang=it")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Password dimenticata"
    click(browser, "mode-guid")
    browser.find_element(By.ID, "guid-file").send_keys(str(forged))
    fill(browser, "new-password", OTHER_PASSWORD)
    fill(browser, "confirm-password", OTHER_PASSWORD)
    click(browser, "confirm")
    assert "Ti restano 4 tentativi" in browser.find_element(By.ID, "error").text
    assert activated_device.get("/ISAPI/System/deviceInfo").status_code == 200


def test_forms_without_the_csrf_token_are_refused(activated_device):
    import requests

    reply = requests.post(activated_device.base + "/signin", data={"password": GOOD_PASSWORD}, timeout=10)
    assert reply.status_code == 403
    assert "form expired" in reply.text


def test_the_qr_code_on_the_page_scans_to_the_challenge_text(activated_device, browser, tmp_path):
    import json
    import subprocess

    import requests
    from requests.auth import HTTPDigestAuth

    body = {"SecurityEmail": {"SecurityInformation": [{"emailAddress": "owner@example.org"}], "password": GOOD_PASSWORD}}
    reply = requests.put(activated_device.base + "/ISAPI/Security/securityEmail?format=json", data=json.dumps(body),
                         auth=HTTPDigestAuth("admin", GOOD_PASSWORD), timeout=10)
    assert reply.status_code == 200

    browser.get(activated_device.base + "/forgot")
    click(browser, "mode-email")
    assert "o***@example.org" in browser.page_source
    click(browser, "generate")
    text = browser.find_element(By.ID, "qr-text").get_attribute("value")
    assert text.startswith("RC1:")

    # A phone scanning the screen: a picture of the code, read by zbar.
    picture = tmp_path / "qr.png"
    browser.find_element(By.ID, "qr").screenshot(str(picture))
    scanned = subprocess.run(["zbarimg", "-q", "--raw", str(picture)], capture_output=True, text=True, timeout=30)
    assert scanned.stdout.strip() == text
