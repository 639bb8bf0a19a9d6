"""The shared vocabulary (checklists/lexicon/): named concepts with their phrasings and examples.

Checklist items speak these concepts by name, and the annotation labels and heading topics of
gapcheck.annotate are concepts too (`label.<name>`, `topic.<name>` in labels.yaml), so this module
imports no pipeline stage: annotate and checklists both build on it. Loading is strict: a bad entry,
a regex that does not compile or has nested repetition, or a name defined twice fails with file:line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from gapcheck.errors import ChecklistError
from gapcheck.resources import data_dir, read_cache, write_cache


class _LineDict(dict):
    line: int = 0
    key_lines: dict


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader (libyaml when available) that remembers the line of every mapping, for messages."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    d = _LineDict()
    d.line = node.start_mark.line + 1
    d.key_lines = {}
    for k_node, v_node in node.value:
        k = loader.construct_object(k_node, deep=True)
        if k in d:
            raise ChecklistError(f"{{file}}:{k_node.start_mark.line + 1}: duplicate key {k!r}")
        d[k] = loader.construct_object(v_node, deep=True)
        d.key_lines[k] = k_node.start_mark.line + 1
    return d


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class _Where:
    file: str
    item: str | None = None
    line: int = 0
    key_lines: dict | None = None  # line of each key of the item, to point at the field itself
    nodes: int = 0  # matcher nodes built for the item so far

    def err(self, field: str | None, problem: str, line: int | None = None) -> ChecklistError:
        if line is None and field and self.key_lines:
            line = self.key_lines.get(field.split(".")[0])
        loc = f"{self.file}:{line or self.line}"
        parts = [loc]
        if self.item:
            parts.append(f"item '{self.item}'")
        if field:
            parts.append(f"field '{field}'")
        return ChecklistError(": ".join(parts) + f": {problem}")


def _str_list(v: Any, where: _Where, field: str) -> list[str]:
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not v or not all(isinstance(x, str) and x for x in v):
        raise where.err(field, "expected a string or a non-empty list of strings")
    return v


_QUANT_GROUP = re.compile(r"\((?:\?:)?((?:[^()\\]|\\.)*)\)(?:[+*]|\{\d*,\d*\})")
_LEADING_QUANT = re.compile(r"^(?:\\.|\[(?:[^\]\\]|\\.)*\]|[^\\()\[|])(?:[+*]|\{\d*,)")


def _catastrophic(p: str) -> bool:
    """Reject the classic exponential shapes: a repeated group that starts with a repeated atom,
    e.g. (a+)+, (\\w*)*, (\\s*\\w+)+. `(\\.[\\w-]+)+` is fine: each repetition starts with a dot."""
    for m in _QUANT_GROUP.finditer(p):
        body = m.group(1)
        if _LEADING_QUANT.match(body) or any(_LEADING_QUANT.match(alt) for alt in body.split("|")[1:]):
            return True
    return False


def packaged_dir() -> Path:
    """Folder of the checklists shipped with the package."""
    return data_dir("checklists")


LEXICON_DIR = "lexicon"


@dataclass(frozen=True)
class Concept:
    """A named idea of the shared vocabulary (checklists/lexicon/) with its phrasings."""

    name: str
    means: str
    patterns: tuple[str, ...]
    examples: MappingProxyType


_LEXICON: dict[str, Concept] = {}


def lexicon() -> dict[str, Concept]:
    """The packaged concepts by name, from every file of checklists/lexicon/ (loaded once; a bad
    entry or a name defined twice fails with file:line).

    Checking every pattern compiles all of them (about 0.3 s); a lexicon that passed is cached
    (JSON, keyed by a digest of its files and of this module), and a process that finds the
    same lexicon there skips both the YAML parse and the check.
    """
    if not _LEXICON:
        files = lexicon_files()
        h = hashlib.sha256(Path(__file__).read_bytes())
        raws = []
        for path in files:
            raw = path.read_text(encoding="utf-8")
            raws.append(raw)
            h.update(path.name.encode() + b"\0" + raw.encode("utf-8") + b"\0")
        cache_name = f"lexicon-{h.hexdigest()[:24]}.json"
        out = _from_cache(read_cache(cache_name))
        if out is None:
            out = _parse_lexicon(files, raws)
            write_cache(cache_name, {n: [c.means, list(c.patterns), {k: list(v) for k, v in c.examples.items()}]
                                     for n, c in out.items()})
        _LEXICON.update(out)
    return _LEXICON


def _from_cache(got: Any) -> dict[str, Concept] | None:
    """The concepts of a cached lexicon, or None when the value is not one (then it is parsed anew)."""
    if not isinstance(got, dict):
        return None
    out: dict[str, Concept] = {}
    try:
        for name, (means, pats, ex) in got.items():
            if not (isinstance(means, str) and isinstance(pats, list) and isinstance(ex, dict)
                    and all(isinstance(p, str) for p in pats)):
                return None
            out[name] = Concept(name, means, tuple(pats),
                                MappingProxyType({k: tuple(str(x) for x in v) for k, v in ex.items()}))
    except (TypeError, ValueError, AttributeError):
        return None
    return out


def _parse_lexicon(files: list[Path], raws: list[str]) -> dict[str, Concept]:
    """Parse and check the lexicon files (every pattern compiled, no nested repetition)."""
    out: dict[str, Concept] = {}
    where_defined: dict[str, str] = {}
    for path, raw in zip(files, raws, strict=True):
        try:
            data = yaml.load(raw, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
        except yaml.YAMLError as e:
            raise ChecklistError(f"{path}: invalid YAML: {e}") from None
        if not isinstance(data, dict) or not isinstance(data.get("concepts"), dict):
            raise ChecklistError(f"{path}: a lexicon file holds a 'concepts:' mapping")
        for name, c in data["concepts"].items():
            w = _Where(str(path), name, getattr(c, "line", 0), getattr(c, "key_lines", None))
            if name in out:
                raise w.err(None, f"concept {name!r} is already defined in {where_defined[name]}")
            if not isinstance(c, dict) or set(c) - {"means", "patterns", "examples"}:
                raise w.err(None, "a concept has means, patterns and examples")
            pats = _str_list(c.get("patterns"), w, "patterns")
            for p in pats:
                if _catastrophic(p):
                    raise w.err("patterns", f"regex {p!r} has nested repetition that can backtrack "
                                "catastrophically")
                try:
                    re.compile(p)
                except re.error as e:
                    raise w.err("patterns", f"regex {p!r} does not compile: {e}") from None
            ex = c.get("examples") or {}
            if not ex.get("match"):
                raise w.err("examples", "at least one 'match' example is required")
            out[name] = Concept(name, str(c.get("means") or "").strip(), tuple(pats),
                                MappingProxyType({k: tuple(v) for k, v in ex.items()}))
            where_defined[name] = path.name
    return out


def lexicon_files() -> list[Path]:
    """The files of the shared vocabulary, in a stable order (the digest depends on it)."""
    return sorted((packaged_dir() / LEXICON_DIR).glob("*.yaml"))
