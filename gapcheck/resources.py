"""Where packaged data lives: inside the wheel, or the repo's top-level folders when run from source."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

_REPO = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """Folder of packaged data `name` ('checklists' or 'templates')."""
    try:
        p = Path(str(resources.files(f"gapcheck._{name}")))
        if p.is_dir():
            return p
    except ModuleNotFoundError:
        pass
    return _REPO / name


def cache_file(name: str) -> Path | None:
    """`name` in gapcheck's folder of the user's cache directory; None when GAPCHECK_NO_CACHE is set.

    The cache holds only data derived from packaged files (JSON, never pickle: data, never code),
    each file named by a digest of what it was derived from, so a stale file is never read.
    """
    import os

    if os.environ.get("GAPCHECK_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gapcheck" / name


def read_cache(name: str, max_bytes: int = 50_000_000) -> Any:
    """The JSON value cached as `name`, or None (absent, unreadable, too big, corrupt or caching off)."""
    import json

    path = cache_file(name)
    try:
        if path is not None and path.is_file() and path.stat().st_size < max_bytes:
            return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    return None


def write_cache(name: str, value: Any) -> None:
    """Cache `value` as JSON under `name` (temp file, then rename: a reader never sees half a file);
    any problem (read-only home, full disk) only means it is computed again next time."""
    import json
    import os
    import tempfile

    path = cache_file(name)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # ".leading-....tmp" for "leading-<digest>.json": a crashed writer's leftover says whose it is
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + name.split("-")[0] + "-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(value, f)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
