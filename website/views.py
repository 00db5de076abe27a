"""Error pages rendered with the site's own templates, in the visitor's language.

Every error answer is marked never to be cached (it may follow a request that carried a
search word or a profile) and says what happened in the active language; under /api/ it is JSON in the
API's `{"errors": {"__all__": [...]}}` shape, because API clients parse the body.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from core.http import TOO_BIG

BAD_REQUEST = gettext_lazy(
    "リクエストの形式が正しくありません。入力を確かめてもう一度お試しください。"
)
NOT_FOUND = gettext_lazy("このアドレスの API はありません。URL を確かめてください。")
SERVER_ERROR = gettext_lazy("一時的なエラーが発生しました。時間をおいてもう一度お試しください。")


def error_response(
    request: HttpRequest, status: int, message: StrOrPromise, template: str
) -> HttpResponse:
    """The error answer, rendered without context processors or database access.

    `message` may be lazy: it is made text here, in the language active for this request.
    """
    text = str(message)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"errors": {"__all__": [text]}},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        html = loader.get_template(template).render({"message": text, "status": status})
        response = HttpResponse(html, status=status)
    add_never_cache_headers(response)
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400, or 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE (Django raises, we explain)."""
    if isinstance(exception, RequestDataTooBig):
        return error_response(request, 413, TOO_BIG, "400.html")
    return error_response(request, 400, BAD_REQUEST, "400.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 with the normal layout so a lost resident can search again; JSON under /api/."""
    if request.path.startswith("/api/"):
        return error_response(request, 404, NOT_FOUND, "404.html")
    return HttpResponse(loader.render_to_string("404.html", request=request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 without context processors or database access: they may be what failed."""
    return error_response(request, 500, SERVER_ERROR, "500.html")


def consultation_lines(request: HttpRequest) -> HttpResponse:
    """/soudan/ — every consultation line the 事務局 shows, with tel: and chat links."""
    from django.shortcuts import render

    from website.models import ConsultationLine

    lines = ConsultationLine.objects.filter(is_shown=True)
    return render(request, "website/soudan.html", {"lines": lines})


def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """/language/<code>/?next=… — the header's language switch: remember the choice, go back.

    A plain link (GET), so it works without JavaScript and the page stays cacheable: a form
    would need a CSRF token on every page. Choosing a language is a preference, not a change
    anyone could abuse; `next` is followed only within this site.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    add_never_cache_headers(response)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",  # sent when a link from another site is followed, not on its forms
    )
    return response
