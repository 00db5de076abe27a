"""Users of the admin beyond member editors: the 事務局."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth import get_user_model

from directory.membership import ensure_secretariat_group


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
