"""/api/: assets and plaques, plus the OpenAPI schema and its docs page."""
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from assets import apis

# The schema does not describe itself: it is the document, not an operation of the API.
SchemaApi = extend_schema_view(get=extend_schema(exclude=True))(SpectacularAPIView)

urlpatterns = [
    path("schema/", SchemaApi.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("assets/", apis.AssetListApi.as_view(), name="api-asset-list"),
    path("assets/<str:code>/", apis.AssetDetailApi.as_view(), name="api-asset-detail"),
    path("assets/<str:code>/verify/", apis.AssetVerifyApi.as_view(), name="api-asset-verify"),
    path("assets/<str:code>/retire/", apis.AssetRetireApi.as_view(), name="api-asset-retire"),
    path("plaques/", apis.PlaqueListApi.as_view(), name="api-plaque-list"),
    path("plaques/<str:code>/", apis.PlaqueDetailApi.as_view(), name="api-plaque-detail"),
]
