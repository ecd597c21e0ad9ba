"""Comparing one original with several versions: the pivot rows, word differences, metrics
and the multilingual exports. Pure code: no database, no Flask."""
