"""Consultation lines and tel: links for templates (numbers come from data, never templates)."""

from django import template
from django.db.models import QuerySet

from website.models import ConsultationLine, tel_href

register = template.Library()


@register.simple_tag
def consultation_lines() -> QuerySet[ConsultationLine]:
    """The lines the 事務局 has chosen to show, in their order."""
    return ConsultationLine.objects.filter(is_shown=True)


@register.filter
def tel(number: str) -> str:
    """`tel:` href for a written number (see website.models.tel_href)."""
    return tel_href(number or "")
