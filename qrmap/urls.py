"""Top-level URL map: each screen package owns its urls module and namespace; the maps of
both apps are mounted here, in one place."""
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from assets.public.home import HomeView
from assets.public.maps import asset_list_view, asset_map_view
from assets.staff.accounts import StaffLoginView, admin_login_forward
from geodata.list_views import coverage_list_view
from geodata.views import coverage_map_view

maps = ([
    path("assets/", asset_map_view, name="assets"),
    path("assets/list/", asset_list_view, name="assets-list"),
    path("coverage/", coverage_map_view, name="coverage"),
    path("coverage/list/", coverage_list_view, name="coverage-list"),
], "maps")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    # One login page for staff and planners; the admin's own login forwards to it.
    path("admin/login/", admin_login_forward),
    path("admin/", admin.site.urls),
    path("accounts/login/", StaffLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    # Public asset pages, search, reports (/Q/<code>, /a/<code>, /search/ ...)
    path("", include("assets.public.urls")),
    # Staff: print centre, plaque pages and health, file import and export
    path("staff/", include("assets.staff.urls")),
    # Field mode: staff on a phone at the sites, offline first
    path("field/", include("assets.staff.field_urls")),
    # Maps, and the planner dashboard
    path("maps/", include(maps)),
    path("planning/", include("geodata.urls")),
    # Vector tiles of the maps (geodata.tiles), and the details their popups fetch
    path("tiles/", include("geodata.tile_urls")),
    # Open data: REST/GeoJSON API and OGC API - Features
    path("api/", include("assets.api.urls")),
    path("ogc/", include("assets.ogc.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The 404 and 500 pages in the visitor's language, with the site's navigation.
handler404 = "assets.public.error_views.page_not_found"
handler500 = "assets.public.error_views.server_error"
