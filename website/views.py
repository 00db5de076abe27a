"""Error pages rendered with the site's own templates (Japanese, lang="ja")."""

from django.http import HttpRequest, HttpResponse
from django.template import loader


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 with the normal layout so a lost resident can search again."""
    return HttpResponse(loader.render_to_string("404.html", request=request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 without context processors or database access: they may be what failed."""
    return HttpResponse(loader.get_template("500.html").render(), status=500)
