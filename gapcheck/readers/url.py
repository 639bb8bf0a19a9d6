"""URL sources: fetch a policy page over http(s) with a timeout, a size limit and conditional GET.

The bytes then go through the reader their content type names (html or text), like a file's.
A web page may be up to `RAW_FACTOR` times the text limit (markup, inline scripts and styles are
most of a real page); a text/plain body is held to the text limit itself.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from gapcheck.errors import InputError
from gapcheck.readers.html import RAW_FACTOR
from gapcheck.readers.text import MAX_BYTES_DEFAULT

#: The largest page fetched under the default text limit (2 MiB of text, ten times that of HTML).
MAX_FETCH_BYTES = RAW_FACTOR * MAX_BYTES_DEFAULT
TIMEOUT = 20.0
USER_AGENT = "gapcheck (privacy policy review)"


@dataclass(frozen=True)
class Fetched:
    """One GET: the body (None on 304), the validators for the next conditional GET, the suffix."""

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
    """True for the http(s) sources that `fetch` reads; anything else is a file path."""
    return source.lower().startswith(("http://", "https://"))


def fetch(url: str, etag: str | None = None, last_modified: str | None = None,
          timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES_DEFAULT) -> Fetched:
    """GET the URL (conditional when etag/last_modified are given); InputError on any failure.

    `max_bytes` is the text limit: an HTML page may be `RAW_FACTOR` times larger (its extracted
    text is checked against the limit by ingest), a text/plain body may not.
    """
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
            ctype = resp.headers.get("Content-Type", "")
            suffix = ".txt" if "text/plain" in ctype else ".html"
            limit = max_bytes if suffix == ".txt" else RAW_FACTOR * max_bytes
            body = resp.read(limit + 1)
            if len(body) > limit:
                what = "text" if suffix == ".txt" else "web page"
                raise InputError(f"{url}: {what} is larger than the {limit:,}-byte limit"
                                 + (" (ten times --max-bytes for a web page)" if suffix == ".html" else
                                    " (raise it with --max-bytes)"))
            return Fetched(url, resp.status, body, resp.headers.get("ETag"), resp.headers.get("Last-Modified"),
                           suffix)
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
