"""Check functions: small, typed, independent of pytest-bdd; each raises or returns findings."""
