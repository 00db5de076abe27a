"""Mail to the 事務局 and member editors is Japanese, whichever language the sender's page was in.

Why: a resident on the English report form, or an organisation applying on the English /join/,
sets off a mail to Japanese staff within an English request; the mail's lazy labels (the
report's reason) must not follow that request's language. No mail goes back to the person who
used the English form: reports are anonymous and /join/ sends no acknowledgement.
"""

import pytest
from django.core import mail
from django.urls import reverse

from tests.directory.membership.test_apply import application
from tests.factories.directory import EditorFactory, MemberFactory, PlacePageFactory
from tests.factories.membership import SecretariatUserFactory
from tests.website.english import english

pytestmark = pytest.mark.django_db


def test_a_report_from_the_english_form_reaches_the_editors_in_japanese(client):
    member = MemberFactory()
    EditorFactory(member=member)
    listing = PlacePageFactory(member=member, title="ふれあいサロン")
    response = english(client).post(
        reverse("listing-report", kwargs={"uuid": listing.uuid}), {"reason": "schedule"}
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "日時が違う" in message.body
    assert "The date or time is wrong" not in message.body


def test_an_application_from_the_english_join_form_reaches_the_secretariat_in_japanese(client):
    SecretariatUserFactory(email="staff@pf.example.jp")
    response = english(client).post(reverse("membership-apply"), application())
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "入会の申請がありました" in message.subject
    assert message.to == ["staff@pf.example.jp"]
