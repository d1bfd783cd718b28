"""Staff admin for the registry. Every write goes through assets.services; the admin only
turns a DomainError into a form error or the refusal page, and every read (lists, change
pages, history) is scoped like the objects (assets.scope)."""
from assets.admin import plaques, registry, reports  # noqa: F401 - registers the admins
