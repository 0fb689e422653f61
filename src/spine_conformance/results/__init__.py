"""Scenario records, requirement verdicts and the results.json file."""
