"""The README's standard-library script verifies an inclusion proof the API gives, and refuses
one for another leaf."""

import json
import re
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from tests.predictions.conftest import prediction_body

README = Path(__file__).resolve().parents[2] / "README.md"


def _script() -> str:
    found = re.search(
        r"<!-- verify_inclusion.py -->\n```python\n(.*?)```", README.read_text(), re.S
    )
    assert found, "README carries verify_inclusion.py"
    return found.group(1)


def test_the_readme_script_verifies_a_fetched_proof(
    client: TestClient, editor_headers: dict[str, str], tmp_path: Path
) -> None:
    for overrides in ({}, {"quote": "A second forecast."}, {"quote": "A third forecast."}):
        body = prediction_body(**overrides)
        made = client.post("/api/v1/predictions", json=body, headers=editor_headers)
        assert made.status_code == 201, made.text
    checkpoint = client.get("/api/v1/log/checkpoint").json()
    size = checkpoint["tree_size"]
    proof = client.get(
        "/api/v1/log/proof/inclusion", params={"prediction_id": 2, "tree_size": size}
    ).json()
    index = proof["leaf_index"]
    entry = client.get("/api/v1/log/entries", params={"start": index, "end": index + 1}).json()
    other = client.get("/api/v1/log/entries", params={"start": 0, "end": 1}).json()
    script = tmp_path / "verify_inclusion.py"
    script.write_text(_script())
    for name, data in [
        ("checkpoint", checkpoint),
        ("proof", proof),
        ("entry", entry),
        ("other", other),
    ]:
        (tmp_path / f"{name}.json").write_text(json.dumps(data))

    def run(entry_file: str) -> subprocess.CompletedProcess[str]:
        files = [str(tmp_path / f) for f in ("checkpoint.json", "proof.json", entry_file)]
        return subprocess.run(
            [sys.executable, str(script), *files], capture_output=True, text=True, check=False
        )

    good = run("entry.json")
    assert (good.returncode, good.stdout.strip()) == (
        0,
        f"leaf {index} is in the tree of {size}: True",
    )
    assert run("other.json").returncode == 1
