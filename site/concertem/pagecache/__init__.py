"""Whole pages for anonymous readers, served from the shared cache (see cache.py)."""

from concertem.pagecache.cache import page_cache_invalidate

__all__ = ["page_cache_invalidate"]
