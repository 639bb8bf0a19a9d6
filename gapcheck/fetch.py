"""Fetch a policy from an http(s) URL: timeout, size limit, http/https only, conditional GET."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from gapcheck.errors import InputError

MAX_FETCH_BYTES = 5 * 1024 * 1024
TIMEOUT = 20.0
USER_AGENT = "gapcheck (privacy policy review)"


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int  # 200, or 304 when the cached copy is still current
    body: bytes | None
    etag: str | None
    last_modified: str | None
    suffix: str  # ".html" or ".txt", from the content type


class _SafeRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise InputError(f"{req.full_url}: redirect to a non-http(s) URL refused: {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def fetch(url: str, etag: str | None = None, last_modified: str | None = None,
          timeout: float = TIMEOUT, max_bytes: int = MAX_FETCH_BYTES) -> Fetched:
    """GET the URL (conditional when etag/last_modified are given); InputError on any failure."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"{url}: only http:// and https:// URLs can be fetched")
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,text/plain"})
    if etag:
        req.add_header("If-None-Match", etag)
    if last_modified:
        req.add_header("If-Modified-Since", last_modified)
    opener = urllib.request.build_opener(_SafeRedirect())
    try:
        with opener.open(req, timeout=timeout) as resp:
            body = resp.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise InputError(f"{url}: page is larger than the {max_bytes:,}-byte limit")
            ctype = resp.headers.get("Content-Type", "")
            return Fetched(url, resp.status, body, resp.headers.get("ETag"), resp.headers.get("Last-Modified"),
                           ".txt" if "text/plain" in ctype else ".html")
    except urllib.error.HTTPError as e:
        if e.code == 304:
            return Fetched(url, 304, None, etag, last_modified, ".html")
        raise InputError(f"{url}: HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        raise InputError(f"{url}: cannot fetch ({e.reason})") from None
    except TimeoutError:
        raise InputError(f"{url}: timed out after {timeout:.0f}s") from None
    except OSError as e:
        raise InputError(f"{url}: cannot fetch ({e})") from None
