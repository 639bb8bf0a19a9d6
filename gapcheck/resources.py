"""Where packaged data lives: inside the wheel, or the repo's top-level folders when run from source."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

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
