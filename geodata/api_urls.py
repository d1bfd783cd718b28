"""/api/: administrative units, hamlets, cell sites, coverage figures, point lookup."""
from django.urls import path

from geodata import apis

urlpatterns = [
    path("hamlets/", apis.HamletListApi.as_view(), name="api-hamlet-list"),
    path("hamlets/<str:id>/", apis.HamletDetailApi.as_view(), name="api-hamlet-detail"),
    path("cellsites/", apis.CellSiteListApi.as_view(), name="api-cellsite-list"),
    path("cellsites/<str:id>/", apis.CellSiteDetailApi.as_view(), name="api-cellsite-detail"),
    path("units/", apis.AdminUnitListApi.as_view(), name="api-unit-list"),
    path("units/<str:id>/", apis.AdminUnitDetailApi.as_view(), name="api-unit-detail"),
    path("coverage/", apis.CoverageSummaryApi.as_view(), name="api-coverage"),
    path("coverage/communes/", apis.CommuneCoverageApi.as_view(),
         name="api-coverage-communes"),
    path("lookup/point/", apis.PointLookupApi.as_view(), name="api-point-lookup"),
]
