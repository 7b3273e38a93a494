"""`reclaim audit` (flow F9) against a lab farm with every finding planted on a device of its
own, as the LAN tool reports it: for one device and for the whole LAN, as text and as JSON;
then `--fix` and `reclaim network set --upnp`.

Findings are planted the way they arise: through the devices' own API (activation, a fair
password, security questions, a reserved e-mail, GUID files, UPnP on) and, for what only
time or another firmware leaves behind, in the farm's saved files while it is stopped (an
older or the latest firmware, a model the catalogue does not know, a password the device
rated weak, one it never rated). Discovery needs multicast on loopback, so these run only
in a network namespace (scripts/test runs the Python tests in one)."""

import json
import os
import subprocess

import pytest
import requests
from requests.auth import HTTPDigestAuth

from conftest import AUTHORITY_BUNDLE, BIN
from test_farm_and_cli import Farm

pytestmark = pytest.mark.skipif(os.environ.get("RECLAIM_NETNS") != "1", reason="needs multicast on loopback (a network namespace)")

# Suits every model of the farm (compatible: 8–16 characters; passphrase: 15 or more), and strong.
LAB = "Lab-Farm-2026-Qx"
# Strong too, but not the one the audit is given.
OTHER = "Nvr-Other-2026-Z"
# 12 characters of two kinds: meets the compatible rules and no more.
FAIR = "tramvianord7"
UNKNOWN_MODEL = "DS-2CD1023G0-I"
AUTHORITY = ["--authority-bundle", str(AUTHORITY_BUNDLE)]

# The farm's models (device i is catalogue[i % 6]) and their firmware, oldest and latest.
MODELS = ["DS-2CD2386G2-IU", "DS-2CD2143G2-IS", "DS-2DE4425IW-DE", "DS-2CD3787G2T-LZSU", "DS-7608NXI-K2", "iDS-7216HQHI-M1-S"]
OLDEST = {"DS-2CD2386G2-IU": ("V5.7.3", "220112")}
LATEST = {
    "DS-2CD2386G2-IU": ("V5.7.15", "230815"), "DS-2CD2143G2-IS": ("V5.7.12", "230301"), "DS-2DE4425IW-DE": ("V5.8.0", "240110"),
    "DS-2CD3787G2T-LZSU": ("V5.8.4", "250117"), "DS-7608NXI-K2": ("V4.74.105", "240612"),
    "iDS-7216HQHI-M1-S": ("V4.71.201", "231120"),
}


# MARK: Talking to the farm


def url(farm, index, path):
    return farm.url(index, path)


def isapi(farm, index, method, path, body, password):
    reply = requests.request(method, url(farm, index, path), data=body, auth=HTTPDigestAuth("admin", password), timeout=10)
    assert reply.status_code == 200, reply.text
    return reply


def activate(farm, index, password):
    reply = requests.put(url(farm, index, "/ISAPI/System/activate"), data=f"<ActivateInfo><password>{password}</password></ActivateInfo>", timeout=10)
    assert reply.status_code == 200, reply.text


def set_questions(farm, index, password):
    questions = "".join(f"<Question><id>{i}</id><answer>{a}</answer></Question>" for i, a in [(1, "Rossi"), (2, "Fido"), (3, "Torino")])
    isapi(farm, index, "PUT", "/ISAPI/Security/questionConfiguration",
          f"<SecurityQuestion><QuestionList>{questions}</QuestionList><password>{password}</password></SecurityQuestion>", password)


def export_guid(farm, index, password):
    isapi(farm, index, "POST", "/ISAPI/Security/GUIDFileData", f"<GUIDFileExport><password>{password}</password></GUIDFileExport>", password)


def change_password(farm, index, current, new):
    isapi(farm, index, "PUT", "/ISAPI/Security/users/1",
          f"<User><userName>admin</userName><password>{new}</password><loginPassword>{current}</loginPassword></User>", current)


def set_email(farm, index, password):
    body = {"SecurityEmail": {"SecurityInformation": [{"emailAddress": "titolare@example.org"}], "password": password}}
    isapi(farm, index, "PUT", "/ISAPI/Security/securityEmail?format=json", json.dumps(body), password)


def set_upnp(farm, index, password, enabled):
    isapi(farm, index, "PUT", "/ISAPI/System/Network/UPnP", f"<UPnP><enabled>{'true' if enabled else 'false'}</enabled></UPnP>", password)


def upnp(farm, index, password):
    return "<enabled>true</enabled>" in isapi(farm, index, "GET", "/ISAPI/System/Network/UPnP", None, password).text


def device_folder(data, index):
    return data / "devices" / f"{index + 1:04d}"


def edit(path, change):
    value = json.loads(path.read_text())
    change(value)
    path.write_text(json.dumps(value))


def serial(data, index):
    return json.loads((device_folder(data, index) / "identity.json").read_text())["serial"]


def plant_firmware(data, index, firmware, model=None):
    def change(identity):
        identity["firmware"] = {"version": firmware[0], "build": firmware[1]}
        if model:
            identity["modelName"] = model
    edit(device_folder(data, index) / "identity.json", change)


def plant_strength(data, index, strength):
    """What the device keeps of how it rated the password when it was set (None: it never did)."""
    def change(state):
        if strength is None:
            state["admin"].pop("strength", None)
        else:
            state["admin"]["strength"] = strength
    edit(device_folder(data, index) / "state.json", change)


def reclaim(farm, *args, input=""):
    return subprocess.run(
        [str(BIN / "reclaim"), *args, "--interface", "127.0.0.1", "--port", str(farm.sadp_port), "--timeout", "2"],
        capture_output=True, text=True, timeout=120, input=input)


def password_file(tmp, name, password):
    path = tmp / name
    path.write_text(password + "\n")
    return str(path)


def lines(result):
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def header(serial, model, index, severity):
    return f"{serial} {model} 127.1.0.{index + 1}: {severity}"


# MARK: The planted farm


class Planted:
    """Six devices, each with its findings:

    0  not activated; firmware older than the latest
    1  all fine: strong password (LAB), latest firmware, security questions, a fresh GUID file, UPnP off
    2  a model the catalogue does not know; a fair password; a GUID file from before the password
       changed; no recovery method; UPnP on
    3  a password the device rated weak (LAB); the reserved e-mail set; no GUID file; UPnP on
    4  another admin password than the one the audit is given (OTHER); nothing set up
    5  a password the device never rated (LAB); nothing set up; UPnP off
    """

    def __init__(self, data, tmp):
        self.data = data
        farm = Farm(data, 6, extra=AUTHORITY)
        try:
            assert "farm ready" in farm.ready_line
            for index in (1, 2, 3, 5):
                activate(farm, index, LAB)
            activate(farm, 4, OTHER)
            set_questions(farm, 1, LAB)
            export_guid(farm, 1, LAB)
            export_guid(farm, 2, LAB)
            change_password(farm, 2, LAB, FAIR)
            set_upnp(farm, 2, FAIR, True)
            set_email(farm, 3, LAB)
            set_upnp(farm, 3, LAB, True)
        finally:
            farm.stop()
        plant_firmware(data, 0, OLDEST[MODELS[0]])
        for index in (1, 3, 4, 5):
            plant_firmware(data, index, LATEST[MODELS[index]])
        plant_firmware(data, 2, ("V5.5.0", "170101"), model=UNKNOWN_MODEL)
        plant_strength(data, 3, "weak")
        plant_strength(data, 5, None)
        self.farm = Farm(data, 6, extra=AUTHORITY)
        assert "farm ready" in self.farm.ready_line
        self.serials = [serial(data, index) for index in range(6)]
        self.models = MODELS[:2] + [UNKNOWN_MODEL] + MODELS[3:]
        self.lab = password_file(tmp, "lab", LAB)
        self.fair = password_file(tmp, "fair", FAIR)

    def audit(self, *args):
        return reclaim(self.farm, "audit", *args)

    def header(self, index, severity):
        return header(self.serials[index], self.models[index], index, severity)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("audit")
    farm = Planted(tmp / "farm", tmp)
    yield farm
    farm.farm.stop()


# MARK: One device, as text


ACTIVATION = "  [high] activation: Not activated: anyone on the LAN can set its password. Activate it now (`reclaim activate`)."
NO_RECOVERY = ("  [medium] recovery: No self-service recovery is set up: set security questions, a reserved e-mail, or export a "
               "GUID file.")
STALE_GUID = ("  [low] guid: No GUID file was exported since the last password change: export a fresh one (`reclaim guid export`) "
              "and keep it offline.")
UPNP_ON = ("  [medium] upnp: UPnP is on: it can open ports on the router. Turn it off unless remote access needs it "
           "(`reclaim audit --fix` does).")
NOT_SIGNING_IN = "  [info] password: The admin password given does not sign in; password strength and UPnP were not checked."


def test_a_device_not_activated_with_older_firmware(planted):
    out = lines(planted.audit("--device", planted.serials[0]))
    assert out == [
        planted.header(0, "HIGH"),
        ACTIVATION,
        "  [medium] firmware: V5.7.3 build 220112 is installed; V5.7.15 build 230815 is available: update it.",
        "1 device checked; 1 needs attention.",
    ]


def test_a_hardened_device_has_nothing_but_ok(planted):
    out = lines(planted.audit("--device", planted.serials[1], "--password-file", planted.lab))
    assert out[0] == planted.header(1, "OK")
    assert sorted(out[1:-1]) == sorted([
        "  [ok] firmware: V5.7.12 build 230301 is the latest known release.",
        "  [ok] recovery: Set up: guidFile, securityQuestions.",
        "  [ok] guid: A GUID file exported since the last password change is valid.",
        "  [ok] password: The admin password is strong.",
        "  [ok] upnp: UPnP is off.",
    ])
    assert out[-1] == "1 device checked; 0 need attention."


def test_without_the_password_strength_and_upnp_are_asked_for(planted):
    out = lines(planted.audit("--device", planted.serials[1]))
    assert "  [info] password: Give the admin password (--password-file) to check its strength and UPnP." in out
    assert not any("upnp" in line for line in out)


def test_an_unknown_model_a_fair_password_a_stale_guid_file_and_upnp_on(planted):
    out = lines(planted.audit("--device", planted.serials[2], "--password-file", planted.fair))
    assert out[0] == planted.header(2, "MEDIUM")
    assert set(out[1:-1]) == {
        "  [info] firmware: Firmware V5.5.0build 170101 of an unknown model: check the vendor's releases.",
        NO_RECOVERY,
        STALE_GUID,
        ("  [medium] password: The admin password only just meets the rules: use 12 or more characters of 3 kinds, or a long "
         "passphrase."),
        UPNP_ON,
    }
    # Worst first.
    severities = [line.split("]")[0].strip(" [") for line in out[1:-1]]
    order = ["high", "medium", "low", "info", "ok"]
    assert severities == sorted(severities, key=order.index)


def test_a_weak_password_and_the_reserved_email(planted):
    out = lines(planted.audit("--device", planted.serials[3], "--password-file", planted.lab))
    assert out[0] == planted.header(3, "HIGH")
    assert out[1] == "  [high] password: The admin password breaks the current rules: change it now."
    assert "  [ok] recovery: Set up: reservedEmail." in out
    assert STALE_GUID in out
    assert UPNP_ON in out


def test_a_password_that_does_not_sign_in(planted):
    out = lines(planted.audit("--device", planted.serials[4], "--password-file", planted.lab))
    assert out[0] == planted.header(4, "MEDIUM")
    assert NOT_SIGNING_IN in out
    assert not any("upnp" in line for line in out)


def test_a_password_the_device_never_rated(planted):
    out = lines(planted.audit("--device", planted.serials[5], "--password-file", planted.lab))
    assert "  [info] password: The device does not report its password's strength." in out
    assert "  [ok] upnp: UPnP is off." in out


# MARK: The whole LAN, as text and JSON


def test_the_whole_lan_as_text(planted):
    out = lines(planted.audit("--password-file", planted.lab))
    expected = {0: "HIGH", 1: "OK", 2: "MEDIUM", 3: "HIGH", 4: "MEDIUM", 5: "MEDIUM"}
    for index, severity in expected.items():
        assert planted.header(index, severity) in out, index
    # Device 2's password is not the one given: it does not sign in, so its UPnP is not read.
    section = []
    for line in out[out.index(planted.header(2, "MEDIUM")) + 1:]:
        if not line.startswith("  "):
            break
        section.append(line)
    assert NOT_SIGNING_IN in section and not any("upnp" in line for line in section)
    assert out[-1] == "6 devices checked; 5 need attention."
    assert not any(line.startswith("  Fixed") or line.startswith("--fix") for line in out), "no fixes without --fix"


def test_the_whole_lan_as_json(planted):
    result = planted.audit("--password-file", planted.lab, "--json")
    assert result.returncode == 0, result.stderr
    reports = {report["serial"]: report for report in json.loads(result.stdout)}
    assert set(reports) == set(planted.serials)

    def findings(index):
        return {finding["check"]: finding["severity"] for finding in reports[planted.serials[index]]["findings"]}

    assert findings(0) == {"activation": "high", "firmware": "medium"}
    assert findings(1) == {"firmware": "ok", "recovery": "ok", "guid": "ok", "password": "ok", "upnp": "ok"}
    assert findings(2) == {"firmware": "info", "recovery": "medium", "guid": "low", "password": "info"}
    assert findings(3) == {"firmware": "ok", "recovery": "ok", "guid": "low", "password": "high", "upnp": "medium"}
    assert findings(4) == {"firmware": "ok", "recovery": "medium", "guid": "low", "password": "info"}
    assert findings(5) == {"firmware": "ok", "recovery": "medium", "guid": "low", "password": "info", "upnp": "ok"}

    hardened, weak = reports[planted.serials[1]], reports[planted.serials[3]]
    assert hardened["passwordStrength"] == "strong" and hardened["upnpEnabled"] is False
    assert {"guidFile", "securityQuestions"} <= set(hardened["recoveryReady"])
    assert weak["passwordStrength"] == "weak" and weak["upnpEnabled"] is True
    assert weak["address"] == "127.1.0.4" and weak["model"] == MODELS[3] and weak["firmware"] == "V5.8.4build 250117"
    assert "passwordStrength" not in reports[planted.serials[0]], "not read from a device not activated"
    assert all("fixes" not in report for report in reports.values())


def test_one_device_as_json(planted):
    result = planted.audit("--device", planted.serials[2], "--password-file", planted.fair, "--json")
    assert result.returncode == 0, result.stderr
    [report] = json.loads(result.stdout)
    assert report["serial"] == planted.serials[2] and report["model"] == UNKNOWN_MODEL
    assert report["passwordStrength"] == "fair" and report["upnpEnabled"] is True
    upnp_finding = next(f for f in report["findings"] if f["check"] == "upnp")
    assert upnp_finding["severity"] == "medium" and upnp_finding["message"].startswith("UPnP is on")


# MARK: --fix and network set --upnp


@pytest.fixture
def fixable(tmp_path):
    """Three devices on the latest firmware: 0 with UPnP on and nothing set up; 1 with UPnP on
    and recovery set up (once UPnP is off, nothing is left); 2 not activated."""
    data = tmp_path / "farm"
    farm = Farm(data, 3, extra=AUTHORITY)
    try:
        for index in (0, 1):
            activate(farm, index, LAB)
            set_upnp(farm, index, LAB, True)
        set_questions(farm, 1, LAB)
        export_guid(farm, 1, LAB)
    finally:
        farm.stop()
    for index in range(3):
        plant_firmware(data, index, LATEST[MODELS[index]])
    farm = Farm(data, 3, extra=AUTHORITY)
    farm.serials = [serial(data, index) for index in range(3)]
    farm.lab = password_file(tmp_path, "lab", LAB)
    yield farm
    farm.stop()


def test_fix_turns_upnp_off_everywhere_and_says_what_is_left_for_a_person(fixable):
    out = lines(reclaim(fixable, "audit", "--fix", "--password-file", fixable.lab))
    for index in (0, 1):
        assert not upnp(fixable, index, LAB), index
    first = out[out.index(header(fixable.serials[0], MODELS[0], 0, "MEDIUM")):]
    assert "  [ok] upnp: UPnP is off." in first[:8], "checked again after the fix"
    assert "  Fixed: UPnP turned off." in first[:8]
    assert "  Left for a person: recovery, guid (see above); --fix changes none of these." in first[:8]
    second = out[out.index(header(fixable.serials[1], MODELS[1], 1, "OK")):]
    assert second[6:8] == ["  Fixed: UPnP turned off.", "  Left for a person: nothing."]
    third = out[out.index(header(fixable.serials[2], MODELS[2], 2, "HIGH")):]
    assert third[1:4] == [
        ACTIVATION, "  [ok] firmware: V5.8.0 build 240110 is the latest known release.",
        "  Left for a person: activation (see above); --fix changes none of these.",
    ]
    assert out[-2:] == [
        "3 devices checked; 2 need attention.",
        "--fix: 2 devices fixed; 2 devices have findings left for a person.",
    ]
    # Nothing else was touched: the password and the recovery set-up are as they were.
    assert requests.get(url(fixable, 0, "/ISAPI/Security/userCheck"), auth=HTTPDigestAuth("admin", LAB), timeout=10).status_code == 200


def test_fix_on_one_device_as_json_and_with_the_password_typed(fixable):
    result = reclaim(fixable, "audit", "--fix", "--device", fixable.serials[0], "--json", input=LAB + "\n")
    assert result.returncode == 0, result.stderr
    [report] = json.loads(result.stdout)
    assert report["fixes"] == [{"fix": "upnpOff", "applied": True, "message": "UPnP turned off."}]
    assert report["upnpEnabled"] is False
    assert not upnp(fixable, 0, LAB)
    assert upnp(fixable, 1, LAB), "only the device named"
    again = reclaim(fixable, "audit", "--fix", "--device", fixable.serials[0], "--json", "--password-file", fixable.lab)
    assert json.loads(again.stdout)[0]["fixes"] == [], "nothing left to fix"


def test_fix_with_a_password_that_does_not_sign_in_changes_nothing(fixable, tmp_path):
    wrong = password_file(tmp_path, "wrong", "Wrong-pass-2026")
    out = lines(reclaim(fixable, "audit", "--fix", "--device", fixable.serials[0], "--password-file", wrong))
    assert NOT_SIGNING_IN in out
    assert "  Left for a person: recovery, guid, password (see above); --fix changes none of these." in out
    assert out[-1] == "--fix: 0 devices fixed; 1 device has findings left for a person."
    assert upnp(fixable, 0, LAB)


def test_network_set_turns_upnp_on_and_off_with_the_admin_password(fixable, tmp_path):
    target = fixable.serials[0]
    off = reclaim(fixable, "network", "set", "--device", target, "--upnp", "off", "--password-file", fixable.lab)
    assert off.returncode == 0, off.stderr
    assert off.stdout.strip() == f"{target} (127.1.0.1): UPnP turned off."
    assert not upnp(fixable, 0, LAB)
    on = reclaim(fixable, "network", "set", "--device", target, "--upnp", "on", "--password-file", fixable.lab)
    assert on.stdout.strip() == f"{target} (127.1.0.1): UPnP turned on."
    assert upnp(fixable, 0, LAB)

    wrong = reclaim(fixable, "network", "set", "--device", target, "--upnp", "off",
                    "--password-file", password_file(tmp_path, "wrong", "Wrong-pass-2026"))
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == (f"reclaim: {target} (127.1.0.1): the admin password given does not sign in. "
                                    "4 attempts left before a lock-out. Check the password file.")
    assert upnp(fixable, 0, LAB)

    nothing = reclaim(fixable, "network", "set", "--device", target, "--password-file", fixable.lab)
    assert nothing.returncode != 0
    assert "Say what to set: --ipv4, --mask, --gateway, --dhcp, --http-port or --upnp on|off." in nothing.stderr
    maybe = reclaim(fixable, "network", "set", "--device", target, "--upnp", "maybe", "--password-file", fixable.lab)
    assert maybe.returncode != 0 and "on" in maybe.stderr and "off" in maybe.stderr
