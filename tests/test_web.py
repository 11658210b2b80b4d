"""The web UI over a real HTTP client (httpx through Starlette's TestClient)."""
import pytest
from fastapi.testclient import TestClient

from reportedly.web.app import create_app

ARTICLE = ('Council delays <b>vote</b> - City Wire\n\nThe council delayed the budget vote on Monday. '
           'Mayor Ana Ruiz said that the delay was "a disaster".\n')


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def test_home_page_has_the_form(client):
    res = client.get("/")
    assert res.status_code == 200
    assert '<form method="post" action="/analyze">' in res.text


def test_analyze_form_renders_an_escaped_annotated_report(client):
    res = client.post("/analyze", data={"text": ARTICLE, "published": "2024-05-06"})
    assert res.status_code == 200
    assert "Council delays &lt;b&gt;vote&lt;/b&gt; - City Wire" in res.text
    assert "<b>vote</b>" not in res.text
    assert "Who says what" in res.text


def test_api_analyze_returns_the_contract_json(client):
    res = client.post("/api/analyze", json={"text": ARTICLE, "published": "2024-05-06"})
    assert res.status_code == 200
    rep = res.json()
    assert rep["schema"] == "reportedly.report/1"
    assert rep["text"] == ARTICLE and rep["meta"]["published"] == "2024-05-06"


@pytest.mark.parametrize("payload, reason", [
    ({"text": "   "}, "give the article text or its URL"),
    ({"url": "http://127.0.0.1:9/x"}, "non-public address"),
    ({"url": "file:///etc/passwd"}, "only http and https"),
    ({"text": ARTICLE, "published": "yesterday"}, "not a date"),
])
def test_bad_requests_say_why(client, payload, reason):
    res = client.post("/api/analyze", json=payload)
    assert res.status_code == 422
    assert reason in res.json()["detail"]
    page = client.post("/analyze", data=payload)
    assert page.status_code == 422 and reason in page.text


def test_schema_endpoint(client):
    assert "attributions" in client.get("/api/schema").json()["properties"]
