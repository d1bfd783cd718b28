"""The site's URLs plus /bench/folium/<code>, the baseline of the asset page benchmark."""
from django.urls import path

from bench.baseline import folium_page
from qrmap.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("bench/folium/<str:code>", folium_page), *site_urlpatterns]
