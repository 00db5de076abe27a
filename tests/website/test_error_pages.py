"""Error answers: never cached, always a Japanese message, JSON under /api/ (issue 11)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

TEN_MB = 10 * 1024 * 1024


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def failing_search(monkeypatch):
    """Make the search engine raise something unexpected, so Django answers with handler500."""

    def broken() -> None:
        raise RuntimeError("engine exploded")

    monkeypatch.setattr("search.views.get_engine", broken)
    monkeypatch.setattr("search.api.get_engine", broken)


def client_without_raise() -> Client:
    client = Client()
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
def test_the_500_page_is_never_cached(failing_search):
    response = client_without_raise().get("/search/", {"q": "将棋"})
    assert response.status_code == 500
    assert no_store(response)
    assert "一時的なエラーが発生しました" in response.content.decode()


@pytest.mark.django_db
def test_a_500_under_the_api_is_json_with_a_message(failing_search):
    response = client_without_raise().get("/api/v1/resources", {"q": "将棋"})
    assert response.status_code == 500
    assert no_store(response)
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["errors"]["__all__"]


@pytest.mark.django_db
def test_a_10_mb_form_post_is_413_with_a_japanese_message(client):
    response = client.post(
        reverse("membership-apply"),
        "name=" + "あ" * (TEN_MB // 9),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert no_store(response)
    assert "大きすぎ" in response.content.decode()


@pytest.mark.django_db
def test_too_many_query_parameters_on_the_api_is_a_json_400(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client.get("/api/v1/resources?" + "&".join(f"category=c{i}" for i in range(50)))
    assert response.status_code == 400
    assert no_store(response)
    assert json.loads(response.content)["errors"]["__all__"]


@pytest.mark.django_db
def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert json.loads(response.content)["errors"]["__all__"]
    html = client.get("/no-such-page/").content.decode()
    assert "ページが見つかりません" in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/hsds/services", "/api/v1/resources", "/api/v1/vocabulary"])
def test_a_wrong_method_on_the_api_is_a_json_405_naming_the_allowed_ones(client, path):
    response = client.put(path)
    assert response.status_code == 405
    assert "GET" in response["Allow"]
    message = json.loads(response.content)["errors"]["__all__"][0]
    assert "GET" in message and "使えます" in message


@pytest.mark.django_db
def test_a_wrong_method_on_a_page_is_a_japanese_405(client):
    response = client.post("/partners/")
    assert response.status_code == 405
    assert "使えます" in response.content.decode()
