"""/api/: assets and plaques, plus the OpenAPI schema and its docs page."""
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from assets import apis

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("assets/", apis.AssetListApi.as_view(), name="api-asset-list"),
    path("assets/<str:code>/", apis.AssetDetailApi.as_view(), name="api-asset-detail"),
    path("assets/<str:code>/verify/", apis.AssetVerifyApi.as_view(), name="api-asset-verify"),
    path("assets/<str:code>/retire/", apis.AssetRetireApi.as_view(), name="api-asset-retire"),
    path("plaques/", apis.PlaqueListApi.as_view(), name="api-plaque-list"),
    path("plaques/<str:code>/", apis.PlaqueDetailApi.as_view(), name="api-plaque-detail"),
]
