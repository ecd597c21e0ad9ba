"""Tests for app.formats: a shared exporter contract plus per-format specifics."""
