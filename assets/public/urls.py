"""Public pages. /Q/<CODE> is what the QR plaques hold (upper case: QR alphanumeric mode);
/q/ and /a/ are the same page for people who type. None of them redirects."""
from django.urls import path

from assets.public import report_views, views

app_name = "public"
urlpatterns = [
    path("Q/<str:code>", views.asset_page, name="asset-qr"),
    path("Q/<str:code>/", views.asset_page),
    path("q/<str:code>", views.asset_page, name="asset-qr-lower"),
    path("q/<str:code>/", views.asset_page),
    path("a/<str:code>", views.asset_page, name="asset"),
    path("a/<str:code>/", views.asset_page),
    path("a/<str:code>/card.png", views.asset_card, name="asset-card"),
    path("a/<str:code>/report/", report_views.report, name="asset-report"),
    path("r/<str:reference>/", report_views.report_status, name="report-status"),
    path("search/", views.search, name="search"),
    path("near/", views.near, name="near"),
]
