"""A second-hand device changes hands only with the device itself and the owner's say: the
buyer's claim is refused until the device is back at factory settings, the owner hears of
it by mail and in the app, and objects; each in a real browser of their own."""

import re
import subprocess
import time

from selenium.webdriver.common.by import By

from conftest import BIN
from test_device_web_page import browser, click  # noqa: F401  (the browser fixture)
from test_owner_reset import linked_device, owner, second_browser, wait_text  # noqa: F401  (fixture)
from test_platform_email_recovery import platform, smtp_sink, wait_for_mail  # noqa: F401  (fixtures)
from test_support_cases import sign_in


def claim(driver, platform, device):
    driver.get(platform.base + "/app")
    driver.find_element(By.ID, "claim-serial").send_keys(device.serial)
    driver.find_element(By.ID, "claim-code").send_keys(device.code)
    driver.find_element(By.ID, "claim-site-name").send_keys("Casa nuova")
    click(driver, "claim-submit")


def test_a_buyers_claim_waits_for_a_factory_reset_and_the_owner_objects(linked_device, platform, smtp_sink, browser, tmp_path):
    device = linked_device
    seller = owner(platform, tmp_path, email="olivia@example.com")
    buyer = owner(platform, tmp_path, email="bruno@example.com")

    # The seller has the device in her account.
    sign_in(browser, platform, seller)
    click(browser, "nav-app")
    browser.find_element(By.ID, "add-serial").send_keys(device.serial)
    browser.find_element(By.ID, "add-code").send_keys(device.code)
    browser.find_element(By.ID, "add-site-name").send_keys("Negozio")
    click(browser, "add-submit")
    assert "Device added" in browser.find_element(By.ID, "notice").text

    buyers = second_browser()
    try:
        # The buyer holds the label, but the device still runs with the seller's password: refused.
        sign_in(buyers, platform, buyer)
        claim(buyers, platform, device)
        assert buyers.find_element(By.ID, "error").text.startswith("Restore the device's factory settings")
        # The form is given back as typed, to send again once the device is reset.
        assert buyers.find_element(By.ID, "claim-serial").get_attribute("value") == device.serial
        assert buyers.find_element(By.ID, "claim-site-name").get_attribute("value") == "Casa nuova"

        # After the reset button, the device itself says it is not activated: the claim is taken.
        held = subprocess.run([str(BIN / "reclaim-device"), "button", device.serial, "--hold", "12", "--data", str(device.data)],
                              capture_output=True, text=True, timeout=60)
        assert "reset to factory state" in held.stdout, held.stdout + held.stderr
        deadline = time.monotonic() + 15
        while True:
            claim(buyers, platform, device)
            notices = buyers.find_elements(By.ID, "notice")
            if notices or time.monotonic() > deadline:
                break
            time.sleep(0.5)  # the link's report of the reset is on its way
        assert "Claim sent" in buyers.find_element(By.ID, "notice").text
        mine = buyers.find_element(By.CSS_SELECTOR, ".claim").text
        assert "Your claim of" in mine and device.serial in mine

        # The seller is told by mail, sees the claim in the app and objects.
        wait_for_mail(smtp_sink)
        told = [m.get_body(("plain",)).get_content() for to, m in smtp_sink.messages if to == [seller]]
        assert any("asked to move it to their account" in body for body in told), told
        browser.get(platform.base + "/app")
        theirs = browser.find_element(By.CSS_SELECTOR, ".claim")
        assert "Someone claims your device" in theirs.text and re.search(r"\d{1,2} \w{3} \d{4} \d{2}:\d{2}", theirs.text)
        theirs.find_element(By.CSS_SELECTOR, "button.claim-object").click()
        wait_text(browser, "notice", "You objected: the device stays yours.")
        assert not browser.find_elements(By.CSS_SELECTOR, ".claim")

        # The buyer's claim has ended: it is gone from the app, and the buyer was told.
        buyers.get(platform.base + "/app")
        assert not buyers.find_elements(By.CSS_SELECTOR, ".claim")
        wait_for_mail(smtp_sink, 2)
        assert any(to == [buyer] and "objected" in m.get_body(("plain",)).get_content() for to, m in smtp_sink.messages)
    finally:
        buyers.quit()
