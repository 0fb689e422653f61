"""Real Time Exemption Checking: the request contract, field rules and exemption types."""
