"""The site's URLs plus the baselines: /bench/folium/<code> (the asset page benchmark) and
/bench/coverage-inline/ (the coverage map with its features inline, the first-paint one)."""
from django.urls import path

from bench.baseline import coverage_inline_page, folium_page
from qrmap.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("bench/folium/<str:code>", folium_page),
               path("bench/coverage-inline/", coverage_inline_page), *site_urlpatterns]
