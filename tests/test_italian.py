"""The main flows as an Italian installer meets them: a browser set up in Italian (it asks for
pages in Italian, as any browser in Italy does; no `?lang=`), and at each step what the
page says, in the words installers know, with no English on it.

The device page: activation, recovery set-up with its refusals, forgot password with the
security questions; the reset button, activation again and the hardening checklist. The support case: the installer opens it, the operator of the support
desk approves it, the installer reads the reset code and uses it on the device page; a device on the
installer's LAN chosen through the helper. The reserved e-mail: the QR code handed in on the platform's page, the code used on the device.
The owner-approved reset: the installer asks, the owner approves in the app, both pages
follow. The owner's ticket: opened in the app, a question and an answer with the operator,
the reset code used on the device. (The hardening checklist and the firmware form are
walked in Italian in test_device_hardening.py and test_firmware.py.)"""

import re
import subprocess
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import BIN, GOOD_PASSWORD, OTHER_PASSWORD
from test_device_web_page import browser_session, click, fill, wait_for_download
from test_owner_reset import linked_device, owner, text_of, wait_text  # noqa: F401  (fixture)
from test_owner_tickets import INVOICE
from test_platform_email_recovery import enrolled_device, platform, smtp_sink, wait_for_mail  # noqa: F401  (fixtures)
from test_support_cases import (PASSWORD, HelperProcess, installer, label_and_qr, reviewer,
                                wait_for_the_automatic_check)

# Words of English that no Italian sentence has; names, codes and models are upper-case or
# proper names, so a lower-case match is an English sentence left on the page.
ENGLISH = re.compile(r"\b(the|your|and|with|this|that|to|is|are|of|not|has|was|been|try|again|please)\b")


@pytest.fixture
def italian(tmp_path, request):
    yield from browser_session(tmp_path, request, accept_language="it-IT,it")


@pytest.fixture
def second_italian(tmp_path, request):
    """Another Italian browser, for the other person of a flow (the owner, the operator)."""
    own = tmp_path / "second-browser"
    own.mkdir()
    yield from browser_session(own, request, accept_language="it-IT,it")


def mails_in_italian(smtp_sink, *recipients):
    """The mails to `recipients`: each in Italian above its signature. Returns their bodies."""
    bodies = []
    for to, message in smtp_sink.messages:
        if to[0] in recipients:
            body = message.get_body(("plain",)).get_content()
            assert not ENGLISH.findall(message["Subject"] + "\n" + body.split("--")[0]), body
            bodies.append(body)
    return bodies


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


def use_the_reset_code_on_the_device_page(browser, device, key):
    """Password dimenticata → Caso di supporto online → the code and a new password."""
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

    # Forgot password: the modes installers know, a wrong answer with the attempts left, then the right ones.
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


def test_a_factory_reset_in_italian_then_the_device_is_activated_again_and_checked(activated_device, italian):
    browser = italian
    device = activated_device
    browser.get(device.base + "/")
    fill(browser, "password", GOOD_PASSWORD)
    click(browser, "signin")
    assert browser.find_element(By.CSS_SELECTOR, "#hardening h2").text == "Checklist di messa in sicurezza"

    # The reset button, held twelve seconds (F8): the page is the activation page again, in Italian.
    serial = re.search(r"<serialNumber>([^<]+)</serialNumber>", device.get("/ISAPI/System/deviceInfo").text).group(1)
    held = subprocess.run([str(BIN / "reclaim-device"), "button", serial, "--hold", "12", "--data", str(device.data)],
                          capture_output=True, text=True, timeout=60)
    assert "reset to factory state" in held.stdout, held.stdout + held.stderr
    browser.get(device.base + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Attivazione dispositivo"
    reads_italian(browser)

    # Activated again (F9): the checklist says what is left, with its number in Italian.
    fill(browser, "password", OTHER_PASSWORD)
    fill(browser, "confirm", OTHER_PASSWORD)
    click(browser, "activate")
    assert "La password amministratore è impostata" in browser.find_element(By.ID, "notice").text
    assert re.fullmatch(r"Ti restano [23] voci da completare\.", browser.find_element(By.ID, "hardening-summary").text)
    assert browser.find_element(By.ID, "questions-state").text == "(Da impostare)"
    reads_italian(browser)
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

    use_the_reset_code_on_the_device_page(browser, device, key)

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


def test_a_support_case_for_a_device_on_the_installers_lan_in_italian_through_the_helper(
        enrolled_device, platform, italian, tmp_path):
    browser = italian
    device = enrolled_device
    email = installer(platform, tmp_path, email="tecnico@example.com", language="it")
    serial, label, _ = label_and_qr(device, platform, tmp_path)
    sign_in(browser, platform, email)
    browser.get(platform.base + "/cases/new")

    # Without the helper, the page says how to start it; with it, the device is listed and chosen.
    WebDriverWait(browser, 10).until(
        lambda driver: "non risponde ancora" in driver.find_element(By.ID, "helper-status").text)
    reads_italian(browser)
    helper = HelperProcess(platform, device, browser.find_element(By.ID, "pairing-code").text)
    try:
        WebDriverWait(browser, 15).until(lambda driver: driver.find_elements(By.ID, "pick-" + serial))
        assert "Dispositivi nella tua LAN" in reads_italian(browser)
        browser.find_element(By.ID, "pick-" + serial).click()
        WebDriverWait(browser, 15).until(lambda driver: driver.find_element(By.ID, "picked").text == serial)
        assert "Dispositivo scelto" in reads_italian(browser)
        browser.find_element(By.ID, "photo").send_keys(str(label))
        browser.find_element(By.ID, "acknowledged").click()
        click(browser, "case-submit")
        deadline = time.monotonic() + 15
        while browser.find_element(By.ID, "case-state").text != "Da confermare" and time.monotonic() < deadline:
            time.sleep(0.5)
            browser.refresh()
        assert browser.find_element(By.ID, "case-state").text == "Da confermare"
        assert "Dispositivo LAN" in reads_italian(browser)
    finally:
        helper.stop()
    use_the_reset_code_on_the_device_page(browser, device, browser.find_element(By.ID, "reset-key").get_attribute("value"))


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


def test_an_owner_approved_reset_in_italian_from_the_installer_to_the_owner_and_back(
        linked_device, platform, smtp_sink, italian, second_italian, tmp_path):
    browser, owners = italian, second_italian
    device = linked_device
    installer_email = installer(platform, tmp_path, email="tecnico@example.com", company="Impianti Verdi", language="it")
    owner_email = owner(platform, tmp_path, email="titolare@example.com", language="it")

    # The installer: Siti e dispositivi, with the company code to give the owner.
    sign_in(browser, platform, installer_email)
    click(browser, "nav-sites")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Siti e dispositivi"
    assert "Nessun sito è ancora condiviso" in reads_italian(browser)
    company = browser.find_element(By.ID, "company-code").text

    # The owner: I miei dispositivi → Aggiungi un dispositivo (serial and label code) → share the site.
    sign_in(owners, platform, owner_email)
    click(owners, "nav-app")
    assert owners.find_element(By.TAG_NAME, "h1").text == "I miei dispositivi"
    reads_italian(owners)
    owners.find_element(By.ID, "add-serial").send_keys(device.serial)
    owners.find_element(By.ID, "add-code").send_keys(device.code)
    owners.find_element(By.ID, "add-name").send_keys("Ingresso")
    owners.find_element(By.ID, "add-site-name").send_keys("Negozio")
    click(owners, "add-submit")
    assert owners.find_element(By.ID, "notice").text == "Dispositivo aggiunto."
    assert "Online" in owners.find_element(By.ID, f"device-{device.serial}").text
    reads_italian(owners)
    owners.find_element(By.NAME, "company").send_keys(company)
    owners.find_element(By.CSS_SELECTOR, "button.share").click()
    wait_text(owners, "notice", "Sito condiviso.")
    reads_italian(owners)

    # The installer: Reimposta password dispositivo → Fuori sede → the request to the owner.
    browser.refresh()
    row = browser.find_element(By.ID, f"device-{device.serial}")
    assert "Online" in row.text and "Reimposta password dispositivo" in row.text
    row.find_element(By.CLASS_NAME, "reset-link").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Reimposta password dispositivo"
    page = reads_italian(browser)
    assert "Fuori sede" in page and "In sede" in page
    browser.find_element(By.ID, "mode-off-site").click()
    click(browser, "reset-ask")
    assert text_of(browser, "request-sent").startswith("Richiesta inviata.")
    assert text_of(browser, "reset-state") == "In attesa del proprietario"
    assert re.search(r"Scade il\s*\n?\s*\d{2}/\d{2}/\d{4} \d{2}:\d{2}", reads_italian(browser)), "the expiry as an Italian writes it"

    # The owner: Servizi → the request; a password against the device's rules and two different
    # ones are refused in Italian, then it is approved.
    owners.get(platform.base + "/app")
    link = owners.find_element(By.CSS_SELECTOR, "#services a")
    assert "Impianti Verdi" in link.text
    link.click()
    reads_italian(owners)
    for field in ("new-password", "new-password-again"):
        owners.find_element(By.ID, field).send_keys("semplicissima")
    owners.find_element(By.ID, "approve").click()
    assert "almeno 2 di questi tipi di caratteri" in owners.find_element(By.ID, "approve-error").text
    for field in ("new-password", "new-password-again"):
        owners.find_element(By.ID, field).clear()
    owners.find_element(By.ID, "new-password").send_keys(OTHER_PASSWORD)
    owners.find_element(By.ID, "new-password-again").send_keys(OTHER_PASSWORD + "x")
    owners.find_element(By.ID, "approve").click()
    assert owners.find_element(By.ID, "approve-error").text == "Le due password non coincidono."
    owners.find_element(By.ID, "new-password-again").clear()
    owners.find_element(By.ID, "new-password-again").send_keys(OTHER_PASSWORD)
    click(owners, "approve")
    wait_text(owners, "reset-state", "Password cambiata")
    reads_italian(owners)

    # The installer's page follows by itself, in Italian; the device takes the new password.
    wait_text(browser, "reset-state", "Password cambiata")
    reads_italian(browser)
    assert device.get("/ISAPI/System/deviceInfo", password=OTHER_PASSWORD).status_code == 200

    # Both were told by mail, in Italian.
    wait_for_mail(smtp_sink, 3)
    bodies = mails_in_italian(smtp_sink, owner_email, installer_email)
    assert len(bodies) >= 3, bodies


def test_an_owners_ticket_in_italian_from_the_app_to_the_operator_and_back_to_the_device(
        enrolled_device, platform, smtp_sink, italian, second_italian, tmp_path):
    browser, desk = italian, second_italian
    device = enrolled_device
    serial, label, qr = label_and_qr(device, platform, tmp_path)
    invoice = tmp_path / "fattura.pdf"
    invoice.write_bytes(INVOICE)
    owner_email = owner(platform, tmp_path, email="titolare@example.com", language="it")
    operator = reviewer(platform, tmp_path, email="operatore@example.com")

    # The owner: Ticket → Apri un ticket; without the proof of purchase it is refused in Italian.
    sign_in(browser, platform, owner_email)
    click(browser, "nav-tickets")
    assert "Ancora nessun ticket." in reads_italian(browser)
    click(browser, "new-ticket")
    reads_italian(browser)
    browser.find_element(By.ID, "ticket-qr").send_keys(str(qr))
    browser.find_element(By.ID, "ticket-label").send_keys(str(label))
    click(browser, "ticket-submit")
    assert browser.find_element(By.ID, "error").text == "Allega la prova d'acquisto: la fattura o lo scontrino."
    reads_italian(browser)
    browser.find_element(By.ID, "ticket-qr").send_keys(str(qr))
    browser.find_element(By.ID, "ticket-label").send_keys(str(label))
    browser.find_element(By.ID, "ticket-purchase").send_keys(str(invoice))
    fill(browser, "ticket-note", "L'installatore ha chiuso l'attività e non ho più la password.")
    click(browser, "ticket-submit")
    assert browser.find_element(By.ID, "notice").text == "Il ticket è aperto: un operatore del supporto tecnico lo leggerà."
    assert browser.find_element(By.ID, "ticket-state").text == "In attesa dell'operatore"
    assert "Prova d'acquisto: fattura.pdf" in browser.find_element(By.ID, "ticket-documents").text
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", reads_italian(browser)), "the ticket's dates as an Italian writes them"
    ticket_url = browser.current_url.split("?")[0]
    ticket_id = ticket_url.rsplit("/", 1)[1]

    # The operator, in an Italian browser of their own: the desk, the ticket, a question.
    sign_in(desk, platform, operator)
    click(desk, "nav-desk")
    reads_italian(desk)
    click(desk, f"desk-ticket-{ticket_id}")
    assert serial in desk.find_element(By.ID, "ticket-summary").text
    reads_italian(desk)
    fill(desk, "message-text", "La fattura non riporta il numero di serie: invia la pagina che lo riporta.")
    click(desk, "message-submit")
    assert desk.find_element(By.ID, "ticket-state").text == "In attesa della risposta del proprietario"
    reads_italian(desk)

    # The owner reads the question and answers with the invoice's other page.
    browser.get(ticket_url)
    assert browser.find_element(By.ID, "ticket-state").text == "In attesa della risposta del proprietario"
    assert "rispondi qui sotto" in reads_italian(browser)
    fill(browser, "message-text", "Ecco la fattura completa.")
    browser.find_element(By.ID, "message-attachment").send_keys(str(invoice))
    click(browser, "message-submit")
    assert browser.find_element(By.ID, "ticket-state").text == "In attesa dell'operatore"

    # The operator approves; the owner reads the reset code and uses it on the device's page.
    desk.get(platform.base + f"/desk/tickets/{ticket_id}")
    assert "Ecco la fattura completa." in desk.find_element(By.ID, "ticket-thread").text
    click(desk, "ticket-approve")
    assert desk.find_element(By.ID, "ticket-state").text == "Approvato"
    reads_italian(desk)
    browser.get(ticket_url)
    assert "Il codice di reset del tuo dispositivo" in reads_italian(browser)
    use_the_reset_code_on_the_device_page(browser, device, browser.find_element(By.ID, "reset-key").get_attribute("value"))

    # Chiudi il ticket; the owner's mails (the question, the approval) came in Italian.
    browser.get(ticket_url)
    click(browser, "ticket-close")
    assert browser.find_element(By.ID, "ticket-state").text == "Chiuso"
    reads_italian(browser)
    wait_for_mail(smtp_sink, 5)
    assert len(mails_in_italian(smtp_sink, owner_email)) == 2


def test_an_installer_signs_up_in_italian_and_a_colleague_joins_through_the_invitation(
        platform, smtp_sink, italian, second_italian, tmp_path):
    browser, colleague = italian, second_italian

    # Registrati: an installer without the company's name is told so in Italian; the form keeps what was typed.
    browser.get(platform.base + "/")
    reads_italian(browser)
    click(browser, "nav-signup")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Crea un account"
    reads_italian(browser)
    browser.find_element(By.NAME, "name").send_keys("Anna Rossi")
    browser.find_element(By.NAME, "email").send_keys("anna@example.com")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    click(browser, "signup-submit")
    assert browser.find_element(By.ID, "error").text == "Un installatore appartiene a un'azienda: indica il nome dell'azienda."
    reads_italian(browser)
    assert browser.find_element(By.NAME, "email").get_attribute("value") == "anna@example.com"
    browser.find_element(By.NAME, "company").send_keys("Impianti Rossi")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    click(browser, "signup-submit")
    assert "Controlla la tua casella di posta" in reads_italian(browser)

    # The confirmation mail is in Italian; its link confirms the account.
    wait_for_mail(smtp_sink)
    body = mails_in_italian(smtp_sink, "anna@example.com")[0]
    browser.get(re.search(r"(http\S+/signup/confirm\?token=\w+)", body).group(1))
    assert browser.find_element(By.ID, "notice").text == "Il tuo account è confermato. Accedi."
    sign_in(browser, platform, "anna@example.com")
    assert "Ciao" in reads_italian(browser)

    # La tua azienda: one person; Anna invites Bruno, and the invitation's expiry reads as an Italian writes it.
    click(browser, "nav-company")
    assert browser.find_element(By.TAG_NAME, "h1").text == "La tua azienda"
    assert "1 persona" in reads_italian(browser)
    fill(browser, "invite-email", "bruno@example.com")
    click(browser, "invite-submit")
    assert browser.find_element(By.ID, "notice").text == "L'invito è stato inviato."
    invitations = browser.find_element(By.ID, "invitations").text
    assert "Scade il" in invitations and re.search(r"bruno@example.com \d{2}/\d{2}/\d{4} \d{2}:\d{2}", invitations), invitations
    reads_italian(browser)

    # Bruno, in an Italian browser of his own, opens the Italian mail's link and joins.
    wait_for_mail(smtp_sink, 2)
    body = mails_in_italian(smtp_sink, "bruno@example.com")[0]
    assert "Impianti Rossi" in body
    colleague.get(re.search(r"(http\S+/invitation\?token=\w+)", body).group(1))
    assert "ti invita a unirti a Impianti Rossi" in colleague.find_element(By.ID, "invitation-intro").text
    reads_italian(colleague)
    fill(colleague, "name", "Bruno Bianchi")
    fill(colleague, "password", OTHER_PASSWORD + " ancora")
    fill(colleague, "confirm-password", OTHER_PASSWORD + " ancora")
    click(colleague, "join-submit")
    assert colleague.find_element(By.ID, "notice").text == "Ora fai parte dell'azienda."
    members = colleague.find_element(By.ID, "members").text
    assert "Bruno Bianchi (tu)" in members and "anna@example.com" in members, members
    assert "2 persone" in reads_italian(colleague)
