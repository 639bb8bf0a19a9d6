"""The command line's kept compiled patterns give the same matches as patterns compiled afresh."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from gapcheck import recache
from gapcheck.lexicon import lexicon

from .conftest import FIXTURES

SAMPLE = (FIXTURES / "policies" / "lowes.com.txt").read_text(encoding="utf-8")[:20_000]


def test_every_lexicon_pattern_rebuilt_from_its_entry_matches_as_compiled():
    for name, concept in lexicon().items():
        for p in concept.patterns:
            ref = re.compile(p, re.I)
            mine, entry = recache._entry(p, int(re.I))
            again = recache._from_entry(p, json.loads(json.dumps(entry)))  # through the JSON file
            for got in (mine, again):
                assert (got.pattern, got.flags, got.groups, dict(got.groupindex)) == \
                    (ref.pattern, ref.flags, ref.groups, dict(ref.groupindex)), name
                assert [m.span() for m in got.finditer(SAMPLE)] == [m.span() for m in ref.finditer(SAMPLE)], name


def test_the_command_keeps_its_patterns_and_a_damaged_file_is_compiled_anew(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("GAPCHECK_NO_CACHE", None)
    policy = FIXTURES / "policies" / "bolt.eu.txt"
    cmd = [sys.executable, "-m", "gapcheck", "run", str(policy), "--law", "gdpr", "--no-history",
           "--format", "json", "--output", str(tmp_path / "out")]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    kept = list((tmp_path / "gapcheck").glob("regex-*.json"))
    assert len(kept) == 1 and len(json.loads(kept[0].read_text())) > 100
    second = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    assert first.stdout == second.stdout
    damaged = {k: [v[0], [1, 2, 3], v[2], v[3], v[4]] for k, v in json.loads(kept[0].read_text()).items()}
    kept[0].write_text(json.dumps(damaged))  # code the engine rejects: every pattern is compiled as usual
    third = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    assert third.stdout == first.stdout


def test_a_library_caller_keeps_its_own_re():
    from re import _compiler

    before = _compiler.compile
    import gapcheck.pipeline  # noqa: F401 - importing the library installs nothing

    assert _compiler.compile is before
