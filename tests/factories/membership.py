"""Admin test helpers: the 事務局 user and the page editor's POST data."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from directory.membership.lifecycle import ensure_secretariat_group, transition
from directory.models import Member, MemberStatus


class SecretariatUserFactory(factory.django.DjangoModelFactory):
    """A member of the 事務局 group (not a superuser), as the PF runs it."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"jimukyoku{n}")
    email = factory.Sequence(lambda n: f"jimukyoku{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def secretariat(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        obj.groups.add(ensure_secretariat_group())
        obj.save()


def page_edit_form_data(client: Any, page: Any, **changes: Any) -> QueryDict:
    """What the page editor would post for `page` as `client` sees it, with `changes`.

    The plain fields come from the rendered form; the schedule StreamField is rendered by
    JavaScript, so its current value is added in the posted format here.
    """
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data.update(schedule_form_data(getattr(page.specific, "schedule", None) or []))
    for key, value in changes.items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data


def schedule_form_data(rules: Any, prefix: str = "schedule") -> QueryDict:
    """StreamField POST data for schedule rules given as (type, value dict) pairs or blocks."""
    data = QueryDict(mutable=True)
    items = [(r.block_type, dict(r.value)) if hasattr(r, "block_type") else r for r in rules]
    data[f"{prefix}-count"] = str(len(items))
    for i, (block_type, value) in enumerate(items):
        item = f"{prefix}-{i}"
        data.update({f"{item}-type": block_type, f"{item}-deleted": "", f"{item}-order": str(i)})
        for key, field_value in value.items():
            name = f"{item}-value-{key}"
            if key in ("exceptions", "dates"):
                data[f"{name}-count"] = str(len(field_value or []))
                for j, day in enumerate(field_value or []):
                    data.update(
                        {
                            f"{name}-{j}-value": str(day),
                            f"{name}-{j}-deleted": "",
                            f"{name}-{j}-order": str(j),
                        }
                    )
            elif isinstance(field_value, list | tuple):
                data.setlist(name, [str(v) for v in field_value])
            else:
                data[name] = "" if field_value is None else str(field_value)
    return data


def logged_in(user: Any) -> Client:
    """A test client logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def approve_applicants() -> None:
    """The 事務局 approves every 申請中 member (those an import registered), as its button does."""
    user = SecretariatUserFactory()
    for member in Member.objects.filter(status=MemberStatus.APPLIED):
        transition(member, "approve", user)
