"""The site's URLs plus the public photos under /media/assets/, which nginx serves in
production (deploy/nginx) and nothing serves under the test server."""
from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from qrmap.urls import handler404, handler500
from qrmap.urls import urlpatterns as site

__all__ = ["handler404", "handler500", "urlpatterns"]


def media(request, path):
    # MEDIA_ROOT is read per request: each test sets its own.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [*site, re_path(r"^media/(?P<path>assets/.*)$", media)]
