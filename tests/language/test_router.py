"""/api/v1/codebooks: every phrase with its probability and source, open to read."""

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.db


def test_the_list_shows_every_codebook_and_names_the_default(client: TestClient) -> None:
    response = client.get("/api/v1/codebooks")
    assert response.status_code == 200
    body = response.json()
    assert body["default"] == "hindsight-v2"
    names = [item["name"] for item in body["items"]]
    assert names == ["hindsight-v1", "hindsight-v2", "icd-203", "kent-1964", "survey-medians"]
    assert [item["default"] for item in body["items"]] == [False, True, False, False, False]


def test_one_version_lists_every_phrase_with_its_probability_and_source(
    client: TestClient,
) -> None:
    body = client.get("/api/v1/codebooks/hindsight-v2").json()
    phrases = {p["phrase"]: p for p in body["phrases"]}
    assert phrases["likely"]["probability"] == 0.7
    assert phrases["likely"]["source"].startswith("zonination/perceptions")
    assert phrases["would"]["probability"] == 0.9
    assert phrases["would"]["source"].startswith("Hindsight project convention")
    assert all(p["source"] for p in body["phrases"])


def test_an_unknown_version_is_a_404_naming_the_known_ones(client: TestClient) -> None:
    response = client.get("/api/v1/codebooks/hindsight-v9")
    assert response.status_code == 404
    assert response.json()["field"] == "version"
    assert "hindsight-v2" in response.json()["detail"]
