"""The JSON API against its OpenAPI document, on a running `reclaim-server`.

Schemathesis reads /openapi.yaml from the server and sends generated requests (valid
ones and deliberately wrong ones) to every operation, as an administrator; every answer
must be documented: no server error, a documented status code and content type, a body
that matches its schema.
"""

import re
import subprocess

import requests

from conftest import BIN, ROOT, PlatformDatabase
from test_platform_email_recovery import ServerProcess, free_port

ADMIN_PASSWORD = "correct horse battery staple"


def test_the_running_server_keeps_to_its_openapi_document(tmp_path):
    data = tmp_path / "server"
    data.mkdir()
    password = tmp_path / "password"
    password.write_text(ADMIN_PASSWORD + "\n")
    database = PlatformDatabase(data)
    subprocess.run([str(BIN / "reclaim-server"), "admin", "create", "--data", str(data), "--email", "admin@example.com",
                    "--password-file", str(password)], check=True, capture_output=True,
                   env={"RECLAIM_PASSWORDS_COST": "light", "PATH": "/usr/bin:/bin", **database.env})
    server = ServerProcess(data, free_port(), {"RECLAIM_PASSWORDS_COST": "light", "RECLAIM_LIMITS_LOGIN_FAILURES": "100000"},
                           database=database)
    try:
        token = requests.post(server.base + "/api/v1/tokens", json={"email": "admin@example.com", "password": ADMIN_PASSWORD},
                              timeout=10).json()["token"]
        run = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "schemathesis"), "run", server.base + "/openapi.yaml",
             "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
             "--max-examples", "15", "-H", f"Authorization: Bearer {token}", "--seed", "7"],
            capture_output=True, text=True, timeout=600, cwd=str(tmp_path))
        assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
        # Every documented operation was reached, not skipped.
        selected = re.search(r"Selected: (\d+)/(\d+)", run.stdout)
        tested = re.search(r"Tested: (\d+)", run.stdout)
        assert selected and tested and selected.group(1) == selected.group(2) == tested.group(1), run.stdout[-3000:]
        assert int(tested.group(1)) >= 14
    finally:
        server.stop()
