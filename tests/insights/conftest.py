"""Fixtures the insights tests share: a seeded database of a report's period."""

from tests.insights.test_report import seeded  # noqa: F401 - a fixture, shared from there
