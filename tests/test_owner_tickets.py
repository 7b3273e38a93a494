"""An owner without an installer (seed 004) opens a support ticket with the device's QR code,
its label, the invoice and a client's authorisation letter; a support operator, in a browser
of their own, asks for more with a file, the owner answers with one, the operator approves,
and the reset code the owner reads in the app resets the device."""

import re

from selenium.webdriver.common.by import By

from conftest import OTHER_PASSWORD
from test_device_web_page import browser, click, fill  # noqa: F401  (the browser fixture)
from test_owner_reset import owner, second_browser
from test_platform_email_recovery import enrolled_device, platform, smtp_sink, wait_for_mail  # noqa: F401  (fixtures)
from test_support_cases import label_and_qr, reclaim, reviewer, sign_in

INVOICE = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_an_owner_and_a_support_operator_work_a_ticket_with_attachments_to_a_reset(
        enrolled_device, platform, smtp_sink, browser, tmp_path):
    device = enrolled_device
    serial, label, qr = label_and_qr(device, platform, tmp_path)
    invoice, letter, scripted = tmp_path / "fattura.pdf", tmp_path / "delega.pdf", tmp_path / "script.pdf"
    invoice.write_bytes(INVOICE)
    letter.write_bytes(INVOICE.replace(b"1 0 obj", b"1 0 obj % delega"))
    scripted.write_bytes(b"%PDF-1.7\n<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n%%EOF\n")
    owner_email = owner(platform, tmp_path)
    reviewer_email = reviewer(platform, tmp_path)

    # The owner opens a ticket for a client: without the client's letter it is refused, and
    # a PDF that would run a script is refused too.
    sign_in(browser, platform, owner_email)
    click(browser, "nav-tickets")
    assert browser.find_element(By.ID, "no-tickets")
    click(browser, "new-ticket")
    browser.find_element(By.ID, "ticket-qr").send_keys(str(qr))
    browser.find_element(By.ID, "ticket-label").send_keys(str(label))
    browser.find_element(By.ID, "ticket-purchase").send_keys(str(scripted))
    browser.find_element(By.ID, "ticket-on-behalf").click()
    click(browser, "ticket-submit")
    assert "active content" in browser.find_element(By.ID, "error").text
    browser.find_element(By.ID, "ticket-qr").send_keys(str(qr))
    browser.find_element(By.ID, "ticket-label").send_keys(str(label))
    browser.find_element(By.ID, "ticket-purchase").send_keys(str(invoice))
    click(browser, "ticket-submit")
    assert "authorisation letter" in browser.find_element(By.ID, "error").text
    browser.find_element(By.ID, "ticket-qr").send_keys(str(qr))
    browser.find_element(By.ID, "ticket-label").send_keys(str(label))
    browser.find_element(By.ID, "ticket-purchase").send_keys(str(invoice))
    browser.find_element(By.ID, "ticket-authorisation").send_keys(str(letter))
    fill(browser, "ticket-note", "The installer closed down; I act for the shop that owns it.")
    click(browser, "ticket-submit")
    assert "Your ticket is open" in browser.find_element(By.ID, "notice").text
    assert browser.find_element(By.ID, "ticket-state").text == "Waiting for the support operator"
    documents = browser.find_element(By.ID, "ticket-documents").text
    for what in ("QR code", "Label photo", "Proof of purchase", "Authorisation letter"):
        assert what in documents, documents
    ticket_url = browser.current_url.split("?")[0]
    ticket_id = ticket_url.rsplit("/", 1)[1]

    # The operator, in a browser of their own, reads it on the desk and asks for more, with a file.
    desk = second_browser()
    try:
        sign_in(desk, platform, reviewer_email)
        click(desk, "nav-desk")
        click(desk, f"desk-ticket-{ticket_id}")
        assert serial in desk.find_element(By.ID, "ticket-summary").text
        assert "I act for the shop" in desk.find_element(By.ID, "ticket-thread").text
        fill(desk, "message-text", "The invoice does not show the serial: send the page that does.")
        desk.find_element(By.ID, "message-attachment").send_keys(str(label))
        click(desk, "message-submit")
        assert desk.find_element(By.ID, "ticket-state").text == "Waiting for the owner's answer"

        # The owner reads the question (in the app, and by mail) and answers with the whole invoice.
        browser.get(ticket_url)
        assert browser.find_element(By.ID, "ticket-state").text == "Waiting for the owner's answer"
        assert "does not show the serial" in browser.find_element(By.ID, "ticket-thread").text
        fill(browser, "message-text", "Here is the full invoice.")
        browser.find_element(By.ID, "message-attachment").send_keys(str(invoice))
        click(browser, "message-submit")
        assert browser.find_element(By.ID, "ticket-state").text == "Waiting for the support operator"

        # The operator sees the answer and its file, and approves.
        desk.get(platform.base + f"/desk/tickets/{ticket_id}")
        thread = desk.find_element(By.ID, "ticket-thread").text
        assert "Here is the full invoice." in thread and "fattura.pdf" in thread
        click(desk, "ticket-approve")
        assert "Approved" in desk.find_element(By.ID, "ticket-state").text
    finally:
        desk.quit()

    # The owner reads the reset code in the app, and it resets the device.
    browser.get(ticket_url)
    key = browser.find_element(By.ID, "reset-key").get_attribute("value")
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{1,4})+", key), key
    new_password = tmp_path / "new-password"
    new_password.write_text(OTHER_PASSWORD + "\n")
    done = reclaim(device, "forgot", "--device", "127.0.0.1", "--key", key, "--new-password-file", str(new_password))
    assert "the new admin password is set" in done.stdout + done.stderr
    click(browser, "ticket-close")
    assert browser.find_element(By.ID, "ticket-state").text == "Closed"

    # Both sides were told by mail: the operator of the new ticket, the answer and the closing;
    # the owner of the question and the approval.
    wait_for_mail(smtp_sink, 5)
    told = [(recipients, message.get_body(("plain",)).get_content()) for recipients, message in smtp_sink.messages]
    assert [r for r, _ in told].count([reviewer_email]) == 3, told
    to_owner = [body for r, body in told if r == [owner_email]]
    assert len(to_owner) == 2 and "wrote to you" in to_owner[0] and "is approved" in to_owner[1]
    assert f"/app/tickets/{ticket_id}" in to_owner[0]
