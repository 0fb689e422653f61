"""manifest.json: the SHA-256 of every artefact, so an evidence pack can be shown to be unchanged."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

MANIFEST_FILE = "manifest.json"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(directory: Path) -> Path:
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.name != MANIFEST_FILE)
    manifest = {
        "algorithm": "sha256",
        "files": {str(p.relative_to(directory)): sha256(p) for p in files},
    }
    path = directory / MANIFEST_FILE
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
    return path


def verify_manifest(directory: Path) -> list[str]:
    """What differs from the manifest: changed, missing or unlisted files (empty when intact)."""
    manifest = json.loads((directory / MANIFEST_FILE).read_text("utf-8"))["files"]
    problems = []
    for relative, expected in manifest.items():
        path = directory / relative
        if not path.is_file():
            problems.append(f"missing: {relative}")
        elif sha256(path) != expected:
            problems.append(f"changed: {relative}")
    present = {str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file()} - {MANIFEST_FILE}
    problems += [f"not in the manifest: {extra}" for extra in sorted(present - manifest.keys())]
    return problems
