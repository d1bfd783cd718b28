"""Top-level URL map. Each part of the site owns its own urls module."""
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from assets.home import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    # Public asset pages, search, reports (/Q/<code>, /a/<code>, /search/ ...)
    path("", include("assets.urls")),
    # Staff: print centre, plaque health; file import and export
    path("staff/", include("assets.staff_urls")),
    path("staff/import/", include("assets.import_urls")),
    # Maps and the planner dashboard
    path("maps/", include("assets.map_urls")),
    path("", include("geodata.urls")),
    # Open data: REST/GeoJSON API and OGC API - Features
    path("api/", include("assets.api_urls")),
    path("api/", include("geodata.api_urls")),
    path("ogc/", include("assets.ogc_urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
