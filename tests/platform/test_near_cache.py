"""The per-process tier in front of the shared cache (platform/cache.py `Near`, D15-51): it keeps a
value only while it hears every invalidation, never one read while an invalidation arrived."""

from __future__ import annotations

from reservo.platform.cache import MemoryCache, Near


def test_nothing_is_kept_while_invalidations_are_not_heard() -> None:
    near = Near()
    near.put("tenant:booking:acme", "acme", near.mark())
    assert near.get("tenant:booking:acme") is None
    near.listening = True
    near.put("tenant:booking:acme", "acme", near.mark())
    assert near.get("tenant:booking:acme") == "acme"


def test_a_value_read_while_an_invalidation_arrived_is_not_kept() -> None:
    near = Near()
    near.listening = True
    mark = near.mark()  # the reader starts asking the shared cache ...
    near.drop(["tenant:booking:other"])  # ... and meanwhile some key was deleted somewhere
    near.put("tenant:booking:acme", "old acme", mark)
    assert near.get("tenant:booking:acme") is None


def test_an_entry_lives_at_most_its_ttl() -> None:
    near = Near(ttl_seconds=0.0)
    near.listening = True
    near.put("k", "v", near.mark())
    assert near.get("k") is None


async def test_a_memory_cache_delete_drops_the_near_copy() -> None:
    cache = MemoryCache()
    cache.near.put("tenant:booking:acme", "acme", cache.near.mark())
    assert cache.near.get("tenant:booking:acme") == "acme"
    await cache.delete("tenant:booking:acme")
    assert cache.near.get("tenant:booking:acme") is None
