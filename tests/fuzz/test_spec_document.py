"""Reading the spec once: the same document as PyYAML's, a JSON copy in the user cache, and clear errors."""

from __future__ import annotations

import json

import pytest
import yaml

from conformance import spec_document
from conformance.spec_document import SpecDocumentError, read_document


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty user cache and an empty process memo."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CRUX_CONFORMANCE_CACHE_DIR", str(folder))
    monkeypatch.setattr(spec_document, "_parsed", {})
    return folder / spec_document.CACHE_SUBDIR


def test_the_committed_spec_reads_as_pyyaml_reads_it_and_is_cached(repo_root, cache):
    path = repo_root / "specs" / "openapi.yaml"
    expected = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert read_document(path) == expected
    cached = list(cache.glob("*.json"))
    assert len(cached) == 1 and json.loads(cached[0].read_text(encoding="utf-8")) == expected
    spec_document._parsed.clear()  # a new process: only the user cache is left
    assert read_document(path) == expected


def test_every_call_gets_its_own_copy(tmp_path, cache):
    path = tmp_path / "spec.yaml"
    path.write_text("paths:\n  /a/: {}\n", encoding="utf-8")
    first = read_document(path)
    first["paths"]["/b/"] = {}
    assert read_document(path) == {"paths": {"/a/": {}}}


def test_a_changed_file_is_read_again(tmp_path, cache):
    path = tmp_path / "spec.yaml"
    path.write_text("info: {title: one}\n", encoding="utf-8")
    assert read_document(path)["info"]["title"] == "one"
    path.write_text("info: {title: two}\n", encoding="utf-8")
    assert read_document(path)["info"]["title"] == "two"


def test_a_document_json_cannot_hold_exactly_is_not_cached(tmp_path, cache):
    path = tmp_path / "spec.yaml"
    path.write_text("responses:\n  200: {description: ok}\nwhen: 2024-01-01\n", encoding="utf-8")
    document = read_document(path)
    assert 200 in document["responses"] and str(document["when"]) == "2024-01-01"
    assert not list(cache.glob("*.json"))
    assert read_document(path) == document


def test_a_corrupt_cache_file_is_ignored(tmp_path, cache):
    path = tmp_path / "spec.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    read_document(path)
    (cached,) = cache.glob("*.json")
    cached.write_text('{"a": ', encoding="utf-8")
    spec_document._parsed.clear()
    assert read_document(path) == {"a": 1}


def test_an_unwritable_cache_changes_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("CRUX_CONFORMANCE_CACHE_DIR", str(blocker))
    monkeypatch.setattr(spec_document, "_parsed", {})
    path = tmp_path / "spec.yaml"
    path.write_text("a: [1, 2]\n", encoding="utf-8")
    assert read_document(path) == {"a": [1, 2]}


def test_not_yaml_is_one_line(tmp_path, cache):
    path = tmp_path / "broken.yaml"
    path.write_text("openapi: [unclosed\n", encoding="utf-8")
    with pytest.raises(SpecDocumentError) as error:
        read_document(path)
    assert str(error.value).startswith(str(path)) and "\n" not in str(error.value)
