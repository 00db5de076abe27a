"""URL map: each app owns its paths (pages and API); Wagtail serves the page tree last."""

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from website import views
from website.feeds import NewsFeed

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("soudan/", views.consultation_lines, name="soudan"),
    path("language/<str:code>/", views.choose_language, name="choose-language"),
    path("feeds/news.xml", NewsFeed(), name="news-feed"),
    path("", include("directory.urls")),
    path("", include("search.urls")),
    path("", include("events.urls")),
    path("", include("exchange.urls")),
    path("", include("matching.urls")),
    path("", include("coordination.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler400 = "website.views.bad_request"
handler404 = "website.views.page_not_found"
handler500 = "website.views.server_error"
