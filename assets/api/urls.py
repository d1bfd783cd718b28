"""/api/: assets and plaques, the geography (geodata.api_urls), the OpenAPI schema and its
docs page, under one namespace."""
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from assets.api import apis, photos
from assets.api.index import api_index
from geodata.api_urls import urlpatterns as geodata_patterns

# The schema does not describe itself: it is the document, not an operation of the API.
SchemaApi = extend_schema_view(get=extend_schema(exclude=True))(SpectacularAPIView)

app_name = "api"
urlpatterns = [
    path("", api_index, name="index"),
    path("schema/", SchemaApi.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("assets/", apis.AssetListApi.as_view(), name="asset-list"),
    path("assets/<str:code>/", apis.AssetDetailApi.as_view(), name="asset-detail"),
    path("assets/<str:code>/verify/", apis.AssetVerifyApi.as_view(), name="asset-verify"),
    path("assets/<str:code>/retire/", apis.AssetRetireApi.as_view(), name="asset-retire"),
    path("assets/<str:code>/photos/", photos.AssetPhotoListApi.as_view(), name="asset-photos"),
    path("plaques/", apis.PlaqueListApi.as_view(), name="plaque-list"),
    path("plaques/<str:code>/", apis.PlaqueDetailApi.as_view(), name="plaque-detail"),
] + geodata_patterns
