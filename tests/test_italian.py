"""The main flows as an Italian installer meets them: a browser set up in Italian (it asks for
pages in Italian, as any browser in Italy does; no `?lang=`), and at each step what the
page says, in the seeds' words, with no English on it.

The device page: activation, recovery set-up with its refusals, forgot password with the
security questions. The support case: the installer opens it, the operator of the support
desk approves it, the installer reads the reset code and uses it on the device page. The
reserved e-mail: the QR code handed in on the platform's page, the code used on the device.
(The owner app's Italian pages are walked in test_owner_app.py and test_owner_reset.py.)"""

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import GOOD_PASSWORD, OTHER_PASSWORD
from test_device_web_page import browser_session, click, fill, wait_for_download
from test_platform_email_recovery import enrolled_device, platform, smtp_sink, wait_for_mail  # noqa: F401  (fixtures)
from test_support_cases import PASSWORD, installer, label_and_qr, reviewer, wait_for_the_automatic_check

# Words of English that no Italian sentence has; names, codes and models are upper-case or
# proper names, so a lower-case match is an English sentence left on the page.
ENGLISH = re.compile(r"\b(the|your|and|with|this|that|to|is|are|of|not|has|was|been|try|again|please)\b")


@pytest.fixture
def italian(tmp_path, request):
    yield from browser_session(tmp_path, request, accept_language="it-IT,it")


def reads_italian(driver):
    """The page is in Italian, and nothing on it is an English sentence."""
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "it"
    text = driver.find_element(By.TAG_NAME, "body").text
    english = ENGLISH.findall(text)
    assert not english, f"English on an Italian page ({driver.current_url}): {english}\n{text}"
    return text


def sign_in(driver, platform, email):
    driver.get(platform.base + "/signin")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Accesso"
    reads_italian(driver)
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    click(driver, "signin-submit")


def choose_questions(driver, ids, answers):
    for slot, (question, answer) in enumerate(zip(ids, answers), start=1):
        Select(driver.find_element(By.ID, f"question{slot}")).select_by_value(str(question))
        fill(driver, f"answer{slot}", answer)
    fill(driver, "questions-password", GOOD_PASSWORD)
    click(driver, "save-questions")


def recover_with_answers(driver, answers):
    for question, answer in enumerate(answers, start=1):
        fill(driver, f"answer{question}", answer)
    fill(driver, "new-password", OTHER_PASSWORD)
    fill(driver, "confirm-password", OTHER_PASSWORD)
    click(driver, "confirm")


def test_the_device_page_in_italian_from_activation_to_a_recovery(device, italian):
    browser = italian
    browser.get(device.base + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Attivazione dispositivo"
    reads_italian(browser)

    # A common password is refused with its rule, in Italian.
    fill(browser, "password", "admin123")
    fill(browser, "confirm", "admin123")
    click(browser, "activate")
    assert "password più comuni" in browser.find_element(By.ID, "error").text
    reads_italian(browser)
    fill(browser, "password", GOOD_PASSWORD)
    fill(browser, "confirm", GOOD_PASSWORD)
    click(browser, "activate")
    assert "La password amministratore è impostata" in browser.find_element(By.ID, "notice").text
    assert browser.find_element(By.ID, "questions-state").text == "(Da impostare)"
    reads_italian(browser)

    # Set-up refusals say what is wrong in Italian, never in English after an Italian start.
    choose_questions(browser, [1, 1, 2], ["Rossi", "Fido", "Torino"])
    assert "Scegli tre domande diverse" in browser.find_element(By.ID, "error").text
    reads_italian(browser)
    fill(browser, "email", "titolare@localhost")
    fill(browser, "email-password", GOOD_PASSWORD)
    click(browser, "save-email")
    assert "titolare@localhost non è un indirizzo email" in browser.find_element(By.ID, "error").text
    reads_italian(browser)
    choose_questions(browser, [1, 2, 3], ["Rossi", "Fido", "Torino"])
    assert browser.find_element(By.ID, "notice").text == "Modifiche salvate."
    assert browser.find_element(By.ID, "questions-state").text == "(Impostazione completata)"

    # The GUID file's export date reads as an Italian writes it.
    fill(browser, "guid-password", GOOD_PASSWORD)
    browser.find_element(By.ID, "export-guid").click()
    wait_for_download(browser.downloads)
    browser.get(device.base + "/")
    WebDriverWait(browser, 10).until(lambda driver: "Esportato il" in driver.find_element(By.ID, "guid-state").text)
    assert re.search(r"Esportato il \d{2}/\d{2}/\d{4} \d{2}:\d{2}", browser.find_element(By.ID, "guid-state").text)
    click(browser, "signout")

    # Forgot password: the seeds' modes, a wrong answer with the attempts left, then the right ones.
    click(browser, "forgot")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Password dimenticata"
    modes = reads_italian(browser)
    assert "Verifica file GUID" in modes and "Verifica domande di sicurezza" in modes
    click(browser, "mode-questions")
    recover_with_answers(browser, ["Bianchi", "Fido", "Torino"])
    assert browser.find_element(By.ID, "error").text == "I dati inseriti non corrispondono. Ti restano 4 tentativi prima del blocco."
    reads_italian(browser)
    recover_with_answers(browser, ["Rossi", "Fido", "Torino"])
    assert browser.find_element(By.TAG_NAME, "h1").text == "Password modificata"
    assert "La nuova password amministratore è impostata" in reads_italian(browser)
    assert device.get("/ISAPI/System/deviceInfo", password=OTHER_PASSWORD).status_code == 200


def test_a_support_case_in_italian_from_the_installer_to_the_operator_and_back_to_the_device(
        enrolled_device, platform, smtp_sink, italian, tmp_path):
    browser = italian
    device = enrolled_device
    email = installer(platform, tmp_path, email="tecnico@example.com", language="it")
    desk = reviewer(platform, tmp_path, email="operatore@example.com")
    serial, _, qr = label_and_qr(device, platform, tmp_path)

    sign_in(browser, platform, email)
    assert "Ciao" in reads_italian(browser)
    click(browser, "nav-cases")
    assert "Registrazione dei casi" in reads_italian(browser) or "Casi di supporto online" in reads_italian(browser)
    click(browser, "new-case")
    reads_italian(browser)
    browser.find_element(By.ID, "qr").send_keys(str(qr))
    browser.find_element(By.ID, "photo").send_keys(str(qr))  # no label in it: the operator checks by hand
    browser.find_element(By.ID, "acknowledged").click()
    click(browser, "case-submit")
    assert "Richiesta inviata" in browser.find_element(By.ID, "request-sent").text
    wait_for_the_automatic_check(browser)
    assert browser.find_element(By.ID, "case-state").text == "In corso"
    assert "operatore del supporto tecnico" in reads_italian(browser)
    case_url = browser.current_url.split("?")[0]
    click(browser, "signout")

    # The operator's desk, in Italian too.
    sign_in(browser, platform, desk)
    click(browser, "nav-desk")
    reads_italian(browser)
    card = browser.find_element(By.CSS_SELECTOR, ".desk-case")
    assert serial in card.text
    card.find_element(By.CSS_SELECTOR, "button.approve").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.ID, "desk-empty"))
    reads_italian(browser)
    click(browser, "signout")

    # The installer reads "Da confermare" and the reset code, and copies it.
    sign_in(browser, platform, email)
    browser.get(case_url)
    assert browser.find_element(By.ID, "case-state").text == "Da confermare"
    page = reads_italian(browser)
    assert "Codice di reset" in page
    key = browser.find_element(By.ID, "reset-key").get_attribute("value")
    copy = browser.find_element(By.ID, "copy-key")
    assert copy.text == "Copia"
    copy.click()
    WebDriverWait(browser, 5).until(lambda _: copy.text == "Copiato")

    # On the device page: Password dimenticata → Caso di supporto online → the code.
    browser.get(device.base + "/forgot")
    click(browser, "mode-support")
    assert "Codice di reset" in reads_italian(browser)
    fill(browser, "reset-key", key)
    fill(browser, "new-password", OTHER_PASSWORD)
    fill(browser, "confirm-password", OTHER_PASSWORD)
    click(browser, "confirm-key")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Password modificata"
    reads_italian(browser)
    assert device.get("/ISAPI/System/deviceInfo", password=OTHER_PASSWORD).status_code == 200

    # Chiudi caso; the mails came in Italian.
    browser.get(case_url)
    click(browser, "close-case")
    assert browser.find_element(By.ID, "case-state").text == "Chiuso"
    reads_italian(browser)
    wait_for_mail(smtp_sink, 3)
    subjects = [message["Subject"] for recipients, message in smtp_sink.messages if recipients == [email]]
    assert any("Da confermare" in s for s in subjects), subjects
    for recipients, message in smtp_sink.messages:
        if recipients == [email]:
            body = message.get_body(("plain",)).get_content()
            assert not ENGLISH.findall(body.split("--")[0]), body
            assert key not in body


def test_the_reserved_email_recovery_in_italian(enrolled_device, platform, smtp_sink, italian, tmp_path):
    browser = italian
    device = enrolled_device
    # On the device: Password dimenticata → Verifica tramite email riservata → Genera codice QR.
    browser.get(device.base + "/forgot")
    click(browser, "mode-email")
    reads_italian(browser)
    click(browser, "generate")
    assert re.search(r"Scade il \d{2}/\d{2}/\d{4} \d{2}:\d{2}", reads_italian(browser))
    picture = tmp_path / "qr.png"
    browser.find_element(By.ID, "qr").screenshot(str(picture))

    # The platform's public page takes the picture and says what happens next, in Italian.
    browser.get(platform.base + "/recover")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Ripristino password tramite email riservata"
    assert browser.find_element(By.ID, "recover-submit").text == "Richiedi il codice di verifica"
    reads_italian(browser)
    click(browser, "recover-submit")  # nothing handed in yet
    assert "codice QR" in browser.find_element(By.ID, "error").text
    reads_italian(browser)
    browser.find_element(By.ID, "picture").send_keys(str(picture))
    click(browser, "recover-submit")
    assert browser.find_element(By.ID, "notice").text.startswith("Ricevuto.")
    reads_italian(browser)

    wait_for_mail(smtp_sink)
    body = smtp_sink.messages[0][1].get_body(("plain",)).get_content()
    assert "Codice di verifica" in body
    code = body.split("Verification code: ")[1].split()[0]

    # Back on the device: the code works once; the second time the refusal is Italian.
    for attempt in range(2):
        browser.get(device.base + "/forgot/email")
        fill(browser, "code", code)
        fill(browser, "new-password", OTHER_PASSWORD)
        fill(browser, "confirm-password", OTHER_PASSWORD)
        click(browser, "confirm")
        if attempt == 0:
            assert browser.find_element(By.TAG_NAME, "h1").text == "Password modificata"
        else:
            assert browser.find_element(By.ID, "error").text
        reads_italian(browser)
    assert device.get("/ISAPI/System/deviceInfo", password=OTHER_PASSWORD).status_code == 200
