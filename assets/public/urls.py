"""Public pages. /Q/<CODE> is what the QR plaques hold (upper case: QR alphanumeric mode);
/q/ and /a/ are the same page for people who type. None of them redirects."""
from django.urls import path

from assets.public import pack_views, report_views, views

app_name = "public"
urlpatterns = [
    path("Q/<str:code>", views.asset_page, name="asset-qr"),
    path("Q/<str:code>/", views.asset_page),
    path("q/<str:code>", views.asset_page, name="asset-qr-lower"),
    path("q/<str:code>/", views.asset_page),
    path("a/<str:code>", views.asset_page, name="asset"),
    path("a/<str:code>/", views.asset_page),
    path("a/<str:code>/photos/", views.asset_photos, name="asset-photos"),
    path("a/<str:code>/card.png", views.asset_card, name="asset-card"),
    path("a/<str:code>/report/", report_views.report, name="asset-report"),
    path("r/<str:reference>/", report_views.report_status, name="report-status"),
    path("search/", views.search, name="search"),
    path("near/", views.near, name="near"),
    # The tourist's offline pack of a commune (assets.public.pack) and its service worker,
    # served from the root so that its scope covers the asset pages.
    path("offline/<str:commune>/", pack_views.offline_pack, name="offline-pack"),
    path("offline/<str:commune>/pack.json", pack_views.offline_pack_manifest,
         name="offline-pack-manifest"),
    path("sw-pack.js", pack_views.service_worker, name="sw-pack"),
]
