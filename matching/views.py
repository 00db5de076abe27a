"""/match/ (form and results), /match/print/ (hand-out) and POST /api/v1/match.

The PF rule shapes every decorator here (docs/privacy.md): POST only for anything that
carries a profile; `never_cache` (Cache-Control: no-store); `sensitive_post_parameters` so an
error report never shows the values; no session, no cookie, no model, no cache, no log line.
The views are CSRF-exempt on purpose: they change nothing and store nothing, so a forged
request gains nothing, and a CSRF token would set a cookie on a page that promises none.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import unquote

import segno
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from core.http import BadJsonBody, Cors, json_response, read_json_body
from core.limits import limited
from directory.listings.schedules import JST
from matching.candidates import Candidate, load_vocabulary
from matching.forms import MatchForm
from matching.origin import area_origin
from matching.pool import CandidatePool
from matching.profile import MAX_LIMIT, NeedsProfile, ProfileErrors, Vocabulary, parse_profile
from matching.ready import ready_pool
from matching.reasons import how_chosen
from matching.scoring import MatchResult, match

KIND_LABELS = {"place": _("居場所"), "service": _("支援・相談"), "event": _("イベント・講座")}
MORE_STEP = 10  # もっと見る shows this many more


def find_matches(
    profile: NeedsProfile,
    vocabulary: Vocabulary,
    pool: CandidatePool | None = None,
    origin_name: str = "",
) -> list[MatchResult]:
    """Match against the ready pool of public listing data (matching/ready.py)."""
    now = datetime.now(JST)
    pool = pool if pool is not None else ready_pool(now)
    return match(profile, pool, vocabulary, now.date(), origin_name=origin_name)


def more_than(shown: int) -> int:
    """How many もっと見る asks for after `shown` results: 0 when no more may be asked for."""
    return min(shown + MORE_STEP, MAX_LIMIT) if shown < MAX_LIMIT else 0


@csrf_exempt
@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
@limited("match", methods=("POST",))
def match_page(request: HttpRequest) -> HttpResponse:
    """GET: the empty form. POST: the same form, kept as chosen, with results and reasons."""
    vocabulary = load_vocabulary()
    if request.method == "GET":
        return render(request, "matching/match.html", {"form": MatchForm(vocabulary=vocabulary)})
    form = MatchForm(request.POST, vocabulary=vocabulary)
    pool = ready_pool(datetime.now(JST))
    results: list[MatchResult] | None = None
    note, more, origin = "", 0, None
    chosen = form.origin(pool) if form.is_valid() else None
    if not form.errors:
        try:
            profile = parse_profile(form.profile_data(chosen), vocabulary)
        except ProfileErrors as problems:
            form.add_profile_errors(problems.errors)
        else:
            # One more than asked, to know whether もっと見る has anything to show.
            asked = replace(profile, limit=profile.limit + 1)
            results = find_matches(asked, vocabulary, pool, chosen.name if chosen else "")
            if len(results) > profile.limit:
                results = results[: profile.limit]
                more = more_than(profile.limit)
            note = how_chosen(profile, vocabulary)
            origin = chosen or area_origin(profile.area, vocabulary)
    if form.errors:
        form.forget_unsafe_text()
    context = {
        "form": form,
        "results": results,
        "note": note,
        "more": more,
        "origin": origin,
        "labelled_results": [(r, KIND_LABELS[r.candidate.kind]) for r in results or []],
    }
    return render(request, "matching/match.html", context, status=422 if form.errors else 200)


@csrf_exempt
@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
@limited("match", methods=("POST",))
def match_print(request: HttpRequest) -> HttpResponse:
    """An A4 hand-out of chosen listings. It receives listing ids only, never the profile.

    GET (a bookmark, a reload after printing) explains where hand-outs come from instead of
    answering 405.
    """
    if request.method == "GET":
        return render(request, "matching/handout.html", {"items": [], "how_to": True})
    ids: list[str] = []
    for value in request.POST.getlist("id")[:MAX_LIMIT]:
        try:
            ids.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    found = _listed(ids)
    items = [
        {
            "candidate": found[listing_id],
            "kind_label": KIND_LABELS[found[listing_id].kind],
            "qr": mark_safe(  # noqa: S308 - segno's SVG of our own absolute URL
                segno.make(request.build_absolute_uri(found[listing_id].url), error="m").svg_inline(
                    scale=4, title=gettext("ページのQRコード")
                )
            ),
            "url": unquote(request.build_absolute_uri(found[listing_id].url)),
        }
        for listing_id in ids
        if listing_id in found
    ]
    return render(
        request,
        "matching/handout.html",
        {"items": items, "printed_on": datetime.now(JST).date()},
        status=200 if items else 422,
    )


def _listed(ids: list[str]) -> dict[str, Candidate]:
    """The chosen listings residents may still see, from the ready pool (no rebuild)."""
    wanted = set(ids)
    if not wanted:
        return {}
    pool = ready_pool(datetime.now(JST))
    return {candidate.id: candidate for candidate in pool.candidates if candidate.id in wanted}


def result_json(result: MatchResult) -> dict[str, Any]:
    candidate = result.candidate
    occurrence = result.next_occurrence
    return {
        "id": candidate.id,
        "kind": candidate.kind,
        "name": candidate.name,
        "url": candidate.url,
        "score": result.score,
        "reasons": list(result.reasons),
        "distance_km": result.distance_km,
        "next_occurrence": occurrence.isoformat() if occurrence else None,
    }


# No CORS header: a resident's profile is entered on the PF's own pages, and a page on another
# site may not read what it matched (core.http, docs/matching.md "API").
_json = partial(json_response, cors=Cors.SAME_ORIGIN)


@csrf_exempt
@sensitive_post_parameters()
@never_cache
@limited("match", methods=("POST",), api=True)
def match_api(request: HttpRequest) -> JsonResponse:
    """POST /api/v1/match: a JSON profile in, ranked listings with reasons out; 422 on errors."""
    if request.method != "POST":
        response = _json(
            {"errors": {"__all__": [gettext("POST で JSON を送ってください。")]}}, status=405
        )
        response["Allow"] = "POST"
        return response
    try:
        data = read_json_body(request)
    except BadJsonBody as error:
        return _json({"errors": {"__all__": [error.message]}}, status=error.status)
    vocabulary = load_vocabulary()
    try:
        profile = parse_profile(data, vocabulary)
    except ProfileErrors as problems:
        return _json({"errors": problems.errors}, status=422)
    results = find_matches(profile, vocabulary)
    return _json(
        {
            "count": len(results),
            "note": how_chosen(profile, vocabulary),
            "results": [result_json(r) for r in results],
        }
    )
