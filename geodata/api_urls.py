"""/api/ (mounted by assets.api.urls, namespace "api"): administrative units, hamlets,
cell sites, coverage figures, point lookup."""
from django.urls import path

from geodata import apis

urlpatterns = [
    path("hamlets/", apis.HamletListApi.as_view(), name="hamlet-list"),
    path("hamlets/<str:id>/", apis.HamletDetailApi.as_view(), name="hamlet-detail"),
    path("cellsites/", apis.CellSiteListApi.as_view(), name="cellsite-list"),
    path("cellsites/<str:id>/", apis.CellSiteDetailApi.as_view(), name="cellsite-detail"),
    path("units/", apis.AdminUnitListApi.as_view(), name="unit-list"),
    path("units/<str:id>/", apis.AdminUnitDetailApi.as_view(), name="unit-detail"),
    path("coverage/", apis.CoverageSummaryApi.as_view(), name="coverage"),
    path("coverage/communes/", apis.CommuneCoverageApi.as_view(),
         name="coverage-communes"),
    path("lookup/point/", apis.PointLookupApi.as_view(), name="point-lookup"),
]
