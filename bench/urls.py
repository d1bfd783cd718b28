"""The site's URLs plus the baselines: /bench/folium/<code> (the asset page benchmark),
/bench/coverage-inline/ (the coverage map with its features inline, the first-paint one) and
/bench/api/assets/ (the asset list with its Features built by the serializer, the search one)."""
from django.urls import path

from bench.baseline import SerializedAssetListApi, coverage_inline_page, folium_page
from qrmap.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("bench/folium/<str:code>", folium_page),
               path("bench/coverage-inline/", coverage_inline_page),
               path("bench/api/assets/", SerializedAssetListApi.as_view()), *site_urlpatterns]
