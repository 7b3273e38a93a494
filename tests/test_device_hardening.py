"""The hardening checklist on the device page (flow F9) in a real browser: after activation,
on the signed-in home page as each item is fixed through the link beside it, and after a
recovery; in English, then once in Italian."""

import pytest
import requests
from requests.auth import HTTPDigestAuth
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import GOOD_PASSWORD, OTHER_PASSWORD
from test_device_web_page import browser, browser_session, click, fill, wait_for_download  # noqa: F401  (fixture)
from test_italian import reads_italian

# 12 characters of two kinds: meets the rules and no more.
FAIR = "tramvianord7"
# The newest firmware the catalogue knows for the device's model (the first of the catalogue).
LATEST = "V5.7.15 build 230815"


@pytest.fixture
def italian(tmp_path, request):
    yield from browser_session(tmp_path, request, accept_language="it-IT,it")


def item(driver, name):
    """An item's status and state, as the page shows them."""
    return (driver.find_element(By.ID, f"check-{name}-status").text, driver.find_element(By.ID, f"check-{name}-state").text)


def follow(driver, name, anchor):
    """Follows an item's link: it leads to the element of the home page that fixes it."""
    driver.find_element(By.ID, f"fix-{name}").click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/#" + anchor))
    return driver.find_element(By.ID, anchor)


def firmware_left(driver):
    """The factory picks a device's firmware: 1 more item to do when it picked an older one."""
    return 0 if driver.find_element(By.ID, "firmware-installed").text == LATEST else 1


def set_upnp(device, password, enabled):
    reply = requests.put(device.base + "/ISAPI/System/Network/UPnP", data=f"<UPnP><enabled>{str(enabled).lower()}</enabled></UPnP>",
                         auth=HTTPDigestAuth("admin", password), timeout=10)
    assert reply.status_code == 200, reply.text


def sign_in(driver, password):
    fill(driver, "password", password)
    click(driver, "signin")


def test_the_checklist_from_activation_to_all_done_then_after_a_recovery(device, browser):
    browser.get(device.base + "/")
    fill(browser, "password", FAIR)
    fill(browser, "confirm", FAIR)
    click(browser, "activate")

    # Right after activation: the password only just meets the rules, nothing is set up.
    assert browser.find_element(By.CSS_SELECTOR, "#hardening h2").text == "Hardening checklist"
    older = firmware_left(browser)
    assert browser.find_element(By.ID, "hardening-summary").text == f"{3 + older} items left to do."
    status, state = item(browser, "password")
    assert status == "To do" and state.startswith("Fair: it only just meets the rules.")
    assert item(browser, "recovery") == ("To do", "None: set security questions or a reserved e-mail, or export a GUID file.")
    assert item(browser, "guid") == ("To do", "None since the last password change: export one and keep it offline.")
    assert item(browser, "upnp") == ("Done", "Off.")
    assert item(browser, "firmware")[1] == (f"{LATEST} is the latest known release." if not older else
                                            f"{browser.find_element(By.ID, 'firmware-installed').text} is installed; {LATEST} is available: update it.")

    # The password: its link leads to the form that changes it; a new password signs everyone out.
    form = follow(browser, "password", "password-form")
    assert form.tag_name == "form"
    fill(browser, "current-password", FAIR)
    fill(browser, "new-password", GOOD_PASSWORD)
    fill(browser, "confirm-password", GOOD_PASSWORD)
    click(browser, "change-password")
    sign_in(browser, GOOD_PASSWORD)
    assert item(browser, "password") == ("Done", "Strong.")

    # UPnP, turned on elsewhere, turned off from the checklist's link.
    set_upnp(device, GOOD_PASSWORD, True)
    browser.get(device.base + "/")
    assert item(browser, "upnp")[0] == "To do"
    follow(browser, "upnp", "upnp-form")
    assert browser.find_element(By.ID, "upnp-state").text == "UPnP is on: the device asks the router to open ports to it."
    click(browser, "upnp-toggle")
    assert browser.find_element(By.ID, "notice").text == "UPnP is off: the device no longer asks the router to open ports."
    assert item(browser, "upnp") == ("Done", "Off.")
    assert "<enabled>false</enabled>" in device.get("/ISAPI/System/Network/UPnP").text

    # A GUID file and the security questions.
    follow(browser, "guid", "guid-form")
    fill(browser, "guid-password", GOOD_PASSWORD)
    browser.find_element(By.ID, "export-guid").click()
    wait_for_download(browser.downloads)
    browser.get(device.base + "/")
    assert item(browser, "guid")[0] == "Done" and item(browser, "guid")[1].startswith("Exported on ")
    follow(browser, "recovery", "recovery")
    for slot, answer in enumerate(["Rossi", "Fido", "Torino"], start=1):
        fill(browser, f"answer{slot}", answer)
    fill(browser, "questions-password", GOOD_PASSWORD)
    click(browser, "save-questions")
    assert item(browser, "recovery") == ("Done", "Set up: GUID file, Security questions.")
    assert browser.find_element(By.ID, "hardening-summary").text == ("All done." if not older else "1 item left to do.")
    click(browser, "signout")

    # Forgot password: the page that says the new one is set shows the checklist as the
    # recovery left the device — its GUID file used up by the new password.
    click(browser, "forgot")
    click(browser, "mode-questions")
    for question, answer in enumerate(["rossi", "FIDO", "torino"], start=1):
        fill(browser, f"answer{question}", answer)
    fill(browser, "new-password", OTHER_PASSWORD)
    fill(browser, "confirm-password", OTHER_PASSWORD)
    click(browser, "confirm")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Password changed"
    assert item(browser, "password") == ("Done", "Strong.")
    assert item(browser, "guid") == ("To do", "None since the last password change: export one and keep it offline.")
    assert item(browser, "recovery") == ("Done", "Set up: Security questions.")
    # Its links lead to the home page, which asks to sign in first, then goes on to the form;
    # a wrong password on the way does not lose where the reader was going.
    browser.find_element(By.ID, "fix-guid").click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/?section=guid-form#guid-form"))
    sign_in(browser, "not the password")
    assert browser.find_element(By.ID, "error").text
    sign_in(browser, OTHER_PASSWORD)
    assert browser.current_url.endswith("/#guid-form"), browser.current_url
    assert browser.find_element(By.ID, "guid-form").is_displayed()
    assert item(browser, "guid")[0] == "To do"


def test_the_checklist_in_italian(device, italian):
    browser = italian
    browser.get(device.base + "/")
    fill(browser, "password", GOOD_PASSWORD)
    fill(browser, "confirm", GOOD_PASSWORD)
    click(browser, "activate")
    assert browser.find_element(By.CSS_SELECTOR, "#hardening h2").text == "Checklist di messa in sicurezza"
    older = firmware_left(browser)
    assert browser.find_element(By.ID, "hardening-summary").text == f"Ti restano {2 + older} voci da completare."
    assert item(browser, "password") == ("Fatto", "Robusta.")
    assert item(browser, "recovery") == (
        "Da fare", "Nessuno: imposta le domande di sicurezza o l'email riservata, oppure esporta un file GUID.")
    assert item(browser, "guid") == ("Da fare", "Nessuno dopo l'ultimo cambio password: esportane uno e conservalo offline.")
    assert item(browser, "upnp") == ("Fatto", "Disattivato.")
    assert browser.find_element(By.ID, "fix-upnp").text == "Impostazione UPnP"
    reads_italian(browser)

    set_upnp(device, GOOD_PASSWORD, True)
    browser.get(device.base + "/")
    assert item(browser, "upnp") == (
        "Da fare", "Attivo: può aprire porte sul router. Disattivalo se l'accesso remoto non ne ha bisogno.")
    follow(browser, "upnp", "upnp-form")
    assert browser.find_element(By.ID, "upnp-toggle").text == "Disattiva UPnP"
    click(browser, "upnp-toggle")
    assert browser.find_element(By.ID, "notice").text == "UPnP disattivato: il dispositivo non chiede più al router di aprire porte."
    assert item(browser, "upnp") == ("Fatto", "Disattivato.")
    reads_italian(browser)
