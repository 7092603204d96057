"""Shared pytest fixtures for the core's and the plugins' tests (a pytest plugin: ``pytest11``)."""
