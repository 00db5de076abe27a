"""Partner finder (/partners/, GET /api/v1/members) and coverage (/coverage/, CSV).

Both show public organisational data only, so they need no login.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET

from coordination.coverage import (
    DIMENSIONS,
    coverage_csv,
    coverage_geojson,
    coverage_table,
    gaps_by_term,
)
from coordination.forms import CoverageForm, PartnerSearchForm
from coordination.partners import Partner, find_partners
from core import http
from core.forms import choice_label
from core.limits import limited
from directory.models import Area

PAGE_SIZE = 20


def partner_json(partner: Partner) -> dict[str, Any]:
    member = partner.member
    return {
        "id": str(member.uuid),
        "name": member.name,
        "kana": member.kana,
        "type": member.member_type,
        "type_label": member.get_member_type_display(),
        "role": member.role,
        "url": partner.url,
        "description": member.description,
        "fields": [t.slug for t in member.fields.all()],
        "targets": [t.slug for t in member.targets.all()],
        "areas": [a.code for a in member.areas.all()],
        "offers": [t.slug for t in member.offers.all()],
        "looks_for": [t.slug for t in member.looks_for.all()],
        "contact": {
            "contact_point": member.contact_point,
            "phone": member.phone,
            "email": member.email,
            "website": member.website,
        },
        "listings": [vars(link) for link in partner.listings],
        # Which of them met 分野・対象・キーワード: the member was found by what it runs.
        "matching_listings": [link.id for link in partner.matching_listings],
        "co_organisers": [{"id": str(m.uuid), "name": m.name} for m in partner.co_organisers],
    }


# A public read API: any site may read it, errors too (core.http, docs/search.md "CORS").
json_response = partial(http.json_response, cors=http.Cors.ANY_ORIGIN)


def form_errors(form: Form) -> dict[str, list[str]]:
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


@require_GET
@limited("api", api=True, cors=http.Cors.ANY_ORIGIN)
def members_api(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/members — the partner finder's filters; 400 with Japanese errors."""
    form = PartnerSearchForm(request.GET)
    if not form.is_valid():
        return json_response({"errors": form_errors(form)}, status=400)
    paginator = Paginator(
        find_partners(form.to_query()), form.cleaned_data["page_size"] or PAGE_SIZE
    )
    number = form.cleaned_data["page"] or 1
    if number > paginator.num_pages:
        message = gettext("ページ番号は %(last)s 以下にしてください。") % {
            "last": paginator.num_pages
        }
        return json_response({"errors": {"page": [message]}}, status=400)
    page = paginator.page(number)
    return json_response(
        {"count": paginator.count, "page": number, "results": [partner_json(p) for p in page]}
    )


@require_GET
def partner_finder(request: HttpRequest) -> HttpResponse:
    """/partners/ — coordinators find member organisations to work with (all of them at first)."""
    form = PartnerSearchForm(request.GET)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        partners = find_partners(form.to_query())
        querystring = request.GET.copy()
        querystring.pop("page", None)
        paginator = Paginator(partners, PAGE_SIZE)
        context.update(
            page=paginator.get_page(form.cleaned_data["page"] or 1),
            paginator=paginator,
            querystring=querystring.urlencode(),
        )
    return render(request, "coordination/partners.html", context)


def _coverage_form(request: HttpRequest) -> CoverageForm:
    municipalities = list(
        Area.objects.filter(
            level=Area.Level.MUNICIPALITY, children__level=Area.Level.SCHOOL_DISTRICT
        )
        .distinct()
        .order_by("code")
        .values_list("code", "name")
    )
    return CoverageForm(request.GET, municipalities=municipalities)


def _municipality(form: CoverageForm) -> Area | None:
    code = form.cleaned_data.get("municipality")
    return Area.objects.filter(code=code).first() if code else None


def coverage_map_words() -> dict[str, str]:
    """The coverage map's legend and labels in the visitor's language: coverage-map.js fills
    %(count)s, %(low)s, %(high)s, %(name)s and %(listings)s (it has no gettext of its own)."""
    return {
        "legend": gettext("凡例（掲載数）"),
        "none": gettext("0件（なし）"),
        "one": ngettext("%(count)s件", "%(count)s件", 1),
        "many": ngettext("%(count)s件", "%(count)s件", 2),
        "range": gettext("%(low)s〜%(high)s件"),
        "label": gettext("%(name)s：%(listings)s"),
    }


@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    """/coverage/ — listings per 小学校区 × target or category, with gaps highlighted."""
    form = _coverage_form(request)
    if not form.is_valid():
        return render(request, "coordination/coverage.html", {"form": form}, status=400)
    dimension = form.cleaned_data["dimension"]
    table = coverage_table(dimension, _municipality(form))
    term = form.cleaned_data["term"] or None
    context = {
        "form": form,
        "table": table,
        "dimension_label": DIMENSIONS[dimension],
        "rows": [(row, [row.counts[slug] for slug in table.slugs]) for row in table.rows],
        "wide": [table.municipality_wide[slug] for slug in table.slugs],
        "gaps": gaps_by_term(table),
        "geojson": coverage_geojson(table, term),
        "map_config": {
            "tile_url": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "words": coverage_map_words(),
        },
        "term_label": choice_label(form, "term", term or ""),
    }
    return render(request, "coordination/coverage.html", context)


@require_GET
def coverage_download(request: HttpRequest) -> HttpResponse:
    """The coverage table as CSV (UTF-8 with BOM so Excel opens it correctly)."""
    form = _coverage_form(request)
    if not form.is_valid():
        return HttpResponse(
            gettext("集計の条件が正しくありません。"),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    dimension = form.cleaned_data["dimension"]
    body = "\ufeff" + coverage_csv(coverage_table(dimension, _municipality(form)))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="coverage-{dimension}.csv"'
    return response
