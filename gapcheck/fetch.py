"""Kept importable for callers of `gapcheck.fetch`: the URL reader lives in `gapcheck.readers.url`."""

from gapcheck.readers.url import MAX_FETCH_BYTES, TIMEOUT, USER_AGENT, Fetched, fetch, is_url

__all__ = ["MAX_FETCH_BYTES", "TIMEOUT", "USER_AGENT", "Fetched", "fetch", "is_url"]
