"""Admin sign-in protection: the login lockout (django-axes) and password-reset limits.

Both run with the real configuration (AXES_ENABLED as in production) through Wagtail's own
views, and against whatever `default` cache the settings configure.
"""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.factories.membership import SecretariatUserFactory

LOGIN = "/admin/login/"
RESET = "/admin/password_reset/"


def sign_in(client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_thirty_wrong_passwords_then_the_right_one_is_refused(client):
    user = SecretariatUserFactory()
    for _ in range(30):
        sign_in(client, user.username, "wrong")
    response = sign_in(client, user.username, "pw")
    assert response.status_code == 429
    assert not signed_in(client)
    page = response.content.decode()
    assert "ログインを一時停止しています" in page and "事務局" in page
    assert "30 分間" in page
    assert int(response["Retry-After"]) == 30 * 60


@pytest.mark.django_db
def test_lockout_is_per_user_name_and_address(client):
    user = SecretariatUserFactory()
    other = SecretariatUserFactory()
    for _ in range(5):
        sign_in(client, user.username, "wrong")
    assert sign_in(client, user.username, "pw").status_code == 429
    # the same person from the office's other line, and a colleague on the same line
    assert sign_in(client, user.username, "pw", address="192.0.2.99").status_code == 302
    client.logout()
    assert sign_in(client, other.username, "pw").status_code == 302


@pytest.mark.django_db
def test_a_few_mistakes_then_success_start_the_count_again(client):
    user = SecretariatUserFactory()
    for _ in range(4):
        sign_in(client, user.username, "wrong")
    assert sign_in(client, user.username, "pw").status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, user.username, "wrong")
    assert sign_in(client, user.username, "pw").status_code == 302


@pytest.mark.django_db
def test_secretariat_unlocks_with_axes_reset_username(client):
    user = SecretariatUserFactory()
    for _ in range(5):
        sign_in(client, user.username, "wrong")
    assert sign_in(client, user.username, "pw").status_code == 429
    call_command("axes_reset_username", user.username)
    assert sign_in(client, user.username, "pw").status_code == 302


@pytest.mark.django_db
def test_lockout_ends_after_the_cool_off(client, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    user = SecretariatUserFactory()
    for _ in range(5):
        sign_in(client, user.username, "wrong")
    assert sign_in(client, user.username, "pw").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert sign_in(client, user.username, "pw").status_code == 302


def reset(client, email: str, address: str = "192.0.2.20"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_password_reset_mails_stop_at_the_per_address_limit(client):
    user = SecretariatUserFactory()
    responses = [reset(client, user.email, address=f"192.0.2.{n}") for n in range(10)]
    assert len(mail.outbox) == 3
    assert {(r.status_code, r["Location"]) for r in responses} == {
        (302, reverse("wagtailadmin_password_reset_done"))
    }


@pytest.mark.django_db
def test_password_reset_mails_stop_at_the_per_ip_limit(client):
    users = SecretariatUserFactory.create_batch(8)
    responses = [reset(client, user.email) for user in users]
    assert len(mail.outbox) == 5
    assert {r.status_code for r in responses} == {302}


@pytest.mark.django_db
def test_password_reset_answer_is_the_same_for_unknown_and_limited_addresses(client):
    user = SecretariatUserFactory()
    with override_settings(
        RATE_LIMITS={"password_reset_ip": "100/h", "password_reset_address": "1/h"}
    ):
        sent = reset(client, user.email)
        limited = reset(client, user.email)
        unknown = reset(client, "nobody@example.org")
    assert len(mail.outbox) == 1
    assert sent["Location"] == limited["Location"] == unknown["Location"]
    assert sent.status_code == limited.status_code == unknown.status_code == 302
