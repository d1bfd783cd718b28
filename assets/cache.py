"""The cache generation of the public pages: every cached resolve and page-surroundings key
carries it, so that bumping it drops them all at once.

assets.apps connects page_cache_invalidate to saves and deletes of assets, plaques and
photos, so that the admin, the API, a management command or a background worker all
invalidate, not only the processes that happened to import the page views.
"""
from django.core.cache import cache

GENERATION_KEY = "qrmap:page-generation"


def page_cache_generation() -> int:
    """The current generation (0 until the first change)."""
    return cache.get_or_set(GENERATION_KEY, 0, None)


def page_cache_invalidate(**kwargs) -> None:
    """Start a new generation (a post_save/post_delete receiver)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet, or evicted
        cache.set(GENERATION_KEY, 1, None)
