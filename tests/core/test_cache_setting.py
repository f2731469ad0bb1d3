"""BACKSTRETCH_CACHE_URL: local memory by default, a cache shared by several servers if set."""

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.core.exceptions import ImproperlyConfigured

from backstretch.settings import cache_config


def test_each_process_keeps_its_own_cache_in_memory_by_default():
    assert cache_config("")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_a_redis_url_uses_djangos_redis_cache():
    config = cache_config("redis://cache.internal:6379/0")
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["LOCATION"] == "redis://cache.internal:6379/0"


def test_a_redis_cache_is_one_cache_for_every_server_that_points_at_it(redis_cache):
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    other = RedisCache(redis_cache.url, {"KEY_PREFIX": redis_cache.prefix})  # another server
    caches["default"].set("timeline:1:7:en", '{"steps": []}', 60)
    assert other.get("timeline:1:7:en") == '{"steps": []}'
    assert other.add("writes:60:1:user:7", 0, 60) and other.incr("writes:60:1:user:7") == 1
    assert caches["default"].incr("writes:60:1:user:7") == 2  # counted together


def test_an_unknown_kind_of_url_is_refused():
    with pytest.raises(ImproperlyConfigured, match="redis://"):
        cache_config("memcached://cache.internal:11211")


def test_a_file_cache_is_one_cache_for_every_process_that_points_at_the_directory(tmp_path):
    config = cache_config(f"file://{tmp_path}")
    assert config["LOCATION"] == str(tmp_path)
    params = {"OPTIONS": config["OPTIONS"]}
    one, other = FileBasedCache(config["LOCATION"], params), FileBasedCache(str(tmp_path), params)
    one.set("timeline:1:7:en", '{"steps": []}', 60)
    assert other.get("timeline:1:7:en") == '{"steps": []}'
