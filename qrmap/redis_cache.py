"""Django's Redis cache, keeping one redis-py client per connection pool, and clearing only
its own keys. Django builds a new
client object for every cache call, and building one registers some 170 response callbacks:
on the asset page, whose repeat scan is two cache reads, that was a third of its CPU time.
A redis-py client is safe to share between threads (it takes a pooled connection per
command), so one per pool and process is enough."""
from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _SharedClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClient

    def clear(self):
        """Delete this cache's keys only. Django's clear() empties the whole Redis database:
        run by a test or a maintenance command, it would also wipe another installation's
        (or a test run's) keys on the same server, and with them scans not yet flushed."""
        client = self._cache.get_client(write=True)
        pattern = f"{self.key_prefix}:*" if self.key_prefix else "*"
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) == 1000:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
        return True
