"""The default shared cache: diskcache's Django backend, kept open between requests."""

from diskcache import DjangoCache


class DiskCache(DjangoCache):
    """diskcache.DjangoCache without closing at the end of every request.

    Django calls close() on every cache when a request finishes (right for a socket to a
    server that may go away); diskcache then closes its eight SQLite files and opens them
    again on the next request, a third of a comment POST's time (bench/README.md). The connections
    are per thread and stay valid, so they stay open for the life of the process.
    """

    def close(self, **kwargs):
        pass
