"""Registers the harness plugin and its step definitions; nothing else lives here."""

pytest_plugins = ["spine_conformance.pytest_plugin", "steps"]
