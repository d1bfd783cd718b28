"""Staff admin for the registry. Every write goes through assets.services; the admin only
turns a DomainError into a form error or the refusal page, and every read (lists, change
pages, history) is scoped like the objects (assets.scope)."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from assets.admin import accounts, plaques, registry, reports  # noqa: F401 - registers the admins

# The header and the browser title name the site, in the interface language, not "Django".
admin.site.site_header = _("qrmap — Lạng Sơn: administration")
admin.site.site_title = _("qrmap administration")
admin.site.index_title = _("Registry, plaques and coverage data")
