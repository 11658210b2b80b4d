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
    assert '<svg' in res.text and "Ana Ruiz" in res.text  # the provenance graph names the speaker


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


def test_ledger_pages_over_a_real_sqlite_ledger(tmp_path):
    import reportedly
    from reportedly.ledger.store import Ledger

    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    text = ("Bridge to close for repairs - Coast News\n\nThe Harbor Bridge will close for repairs in May, "
            "city engineer Ana Ruiz said on Monday. \"The <cracks> are serious,\" Ruiz said.\n")
    with Ledger(db) as ledger:
        ledger.add(reportedly.analyze(text, published="2024-03-04"))
        claims = ledger.claims()
    assert claims
    client = TestClient(create_app(db))
    page = client.get("/claims")
    assert page.status_code == 200 and f'href="/claims/{claims[0]["id"]}"' in page.text
    one = client.get(f"/claims/{claims[0]['id']}")
    assert one.status_code == 200 and "<cracks>" not in one.text
    assert client.get("/api/claims").json()[0]["id"] == claims[0]["id"]
    assert client.get("/claims/999999").status_code == 404
    assert client.get("/claims", params={"q": "zebra"}).text.count('href="/claims/') == 0
