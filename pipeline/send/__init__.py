"""Sending requests: the runner (one admission gate, retries), rate limits learned from the
server (limits, adaptive), the spending cap (budget), fallbacks across targets, and the
providers that talk to a model (providers/)."""
