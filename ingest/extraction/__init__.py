"""Offline, deterministic extraction of actors and typed interactions, one small module per step."""
