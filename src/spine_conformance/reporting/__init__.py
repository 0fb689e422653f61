"""Artefacts rendered from results.json and the evidence files: HTML, RTM, JUnit, manifest, baseline."""
