"""Portal accounts from outside: a forgotten password set anew through the link mailed by
a real SMTP server, certification by a distributor's code, and a colleague invited by mail, in
real browsers."""

import re

from selenium.webdriver.common.by import By

from test_device_web_page import browser, click, fill  # noqa: F401  (the browser fixture)
from test_platform_email_recovery import platform, smtp_sink, wait_for_mail  # noqa: F401  (fixtures)
from test_owner_reset import second_browser
from test_support_cases import PASSWORD, installer, sign_in

NEW_PASSWORD = "a brand new passphrase for the portal"


def test_a_forgotten_portal_password_is_set_anew_through_the_mailed_link(platform, smtp_sink, browser, tmp_path):
    email = installer(platform, tmp_path, email="ivo@example.com")

    browser.get(platform.base + "/signin")
    click(browser, "forgot-password")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Forgot password"
    fill(browser, "email", "nobody@example.com")
    click(browser, "forgot-submit")
    unknown = browser.find_element(By.ID, "message").text.replace("nobody@example.com", "ADDRESS")

    browser.get(platform.base + "/password/forgot")
    fill(browser, "email", email)
    click(browser, "forgot-submit")
    known = browser.find_element(By.ID, "message").text.replace(email, "ADDRESS")
    assert known == unknown, "the page does not tell which address has an account"
    assert "is on its way" in known

    wait_for_mail(smtp_sink)
    recipients, message = smtp_sink.messages[0]
    assert recipients == [email] and len(smtp_sink.messages) == 1
    link = re.search(r"(http\S+/password/reset\?token=\w+)", message.get_body(("plain",)).get_content()).group(1)

    browser.get(link)
    fill(browser, "new-password", "too short")
    fill(browser, "confirm-password", "too short")
    click(browser, "reset-submit")
    assert "at least 15 characters" in browser.find_element(By.ID, "error").text
    fill(browser, "new-password", NEW_PASSWORD)
    fill(browser, "confirm-password", NEW_PASSWORD)
    click(browser, "reset-submit")
    assert "Your new password is set" in browser.find_element(By.ID, "message").text

    # The old password no longer signs in; the new one does; the link worked once.
    sign_in(browser, platform, email)
    assert browser.find_elements(By.ID, "error")
    browser.get(platform.base + "/signin?lang=en")
    browser.find_element(By.NAME, "email").send_keys(email)
    browser.find_element(By.NAME, "password").send_keys(NEW_PASSWORD)
    click(browser, "signin-submit")
    assert browser.find_element(By.ID, "nav-dashboard")
    browser.get(link)
    assert "does not work" in browser.find_element(By.ID, "message").text

    # The account's mailbox hears that the password changed.
    wait_for_mail(smtp_sink, 2)
    assert "your password was changed" in smtp_sink.messages[1][1]["Subject"]
    assert PASSWORD not in smtp_sink.messages[1][1].get_body(("plain",)).get_content()


def test_an_installer_company_is_certified_with_its_distributors_code(platform, browser, tmp_path):
    password = tmp_path / "distributor-password"
    password.write_text(PASSWORD + "\n")
    platform.cli("admin", "create", "--role", "distributor", "--email", "dario@example.com", "--name", "Dario Distributore",
                 "--password-file", str(password))
    email = installer(platform, tmp_path, email="ivo@example.com", company="Impianti Verdi", certify=False)

    # The distributor issues a code; it is shown once.
    sign_in(browser, platform, "dario@example.com")
    click(browser, "nav-distributor")
    click(browser, "issue-code")
    code = browser.find_element(By.ID, "new-code").get_attribute("value")
    assert re.fullmatch(r"RCC(-[A-Z2-9]{4}){5}", code), code
    assert "Not used yet" in browser.find_element(By.ID, "codes").text
    browser.get(platform.base + "/distributor")
    assert not browser.find_elements(By.ID, "new-code"), "the code is not shown again"
    assert "Not used yet" in browser.find_element(By.ID, "codes").text
    click(browser, "signout")

    # The installer's company is not certified: a wrong code is refused, the right one certifies it.
    sign_in(browser, platform, email)
    assert "Ask your distributor" in browser.find_element(By.ID, "not-certified").text
    fill(browser, "certification-code", "RCC-AAAA-BBBB-CCCC-DDDD-EEEE")
    click(browser, "certify-submit")
    assert "does not work" in browser.find_element(By.ID, "error").text
    fill(browser, "certification-code", code.lower())
    click(browser, "certify-submit")
    assert "Your company is certified" in browser.find_element(By.ID, "notice").text
    assert browser.find_element(By.ID, "certified")
    click(browser, "nav-cases")
    click(browser, "new-case")
    assert browser.find_element(By.ID, "case-submit"), "a certified company's installer opens cases"
    click(browser, "signout")

    sign_in(browser, platform, "dario@example.com")
    click(browser, "nav-distributor")
    assert "Used by Impianti Verdi" in browser.find_element(By.ID, "codes").text


def test_a_colleague_is_invited_by_mail_joins_in_their_own_browser_and_leaves(platform, smtp_sink, browser, tmp_path):
    anna = installer(platform, tmp_path, email="anna@example.com", company="Impianti Rossi")

    # Anna invites Bruno from the company page.
    sign_in(browser, platform, anna)
    click(browser, "nav-company")
    assert browser.find_element(By.ID, "company-name").text == "Impianti Rossi"
    assert "1 member" in browser.page_source
    assert browser.find_element(By.ID, "last-member"), "the only member is told to invite someone before leaving"
    fill(browser, "invite-email", "anna@example.com")
    click(browser, "invite-submit")
    assert "already in your company" in browser.find_element(By.ID, "error").text
    fill(browser, "invite-email", "Bruno@Example.com")
    click(browser, "invite-submit")
    assert "The invitation is on its way" in browser.find_element(By.ID, "notice").text
    assert "bruno@example.com" in browser.find_element(By.ID, "invitations").text

    wait_for_mail(smtp_sink)
    recipients, message = smtp_sink.messages[0]
    assert recipients == ["bruno@example.com"]
    assert "Impianti Rossi" in message["Subject"]
    link = re.search(r"(http\S+/invitation\?token=\w+)", message.get_body(("plain",)).get_content()).group(1)

    # Bruno, in a browser of his own, opens the link and joins with a new account.
    other = second_browser()
    try:
        other.get(link + "&lang=en")
        assert "invites you to join Impianti Rossi" in other.find_element(By.ID, "invitation-intro").text
        assert other.find_element(By.ID, "invited-email").text == "bruno@example.com"
        fill(other, "name", "Bruno Bianchi")
        fill(other, "password", "too short")
        fill(other, "confirm-password", "too short")
        click(other, "join-submit")
        assert "at least 15 characters" in other.find_element(By.ID, "error").text
        fill(other, "name", "Bruno Bianchi")
        fill(other, "password", NEW_PASSWORD)
        fill(other, "confirm-password", NEW_PASSWORD)
        click(other, "join-submit")
        assert "You joined the company" in other.find_element(By.ID, "notice").text
        members = other.find_element(By.ID, "members").text
        assert "Bruno Bianchi (you)" in members and "anna@example.com" in members

        # Anna sees her colleague; the invitation is used up.
        browser.get(platform.base + "/company")
        assert "bruno@example.com" in browser.find_element(By.ID, "members").text
        assert not browser.find_elements(By.ID, "invitations")
        other.get(link + "&lang=en")
        assert "does not work any more" in other.find_element(By.ID, "message").text

        # Bruno leaves, once he ticks the box; the company and its objects stay with Anna.
        other.get(platform.base + "/company")
        click(other, "leave-submit")
        assert "Tick the box" in other.find_element(By.ID, "error").text
        other.find_element(By.ID, "leave-confirm").click()
        click(other, "leave-submit")
        assert "You left the company" in other.find_element(By.ID, "notice").text
        assert other.find_element(By.ID, "no-company")
        browser.get(platform.base + "/company")
        assert "bruno@example.com" not in browser.find_element(By.ID, "members").text
        assert browser.find_element(By.ID, "last-member")
    finally:
        other.quit()
