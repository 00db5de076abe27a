"""Factories for tests, one module per app."""
