"""Alinea: align an original with its translation, review the pairs, export them."""

__version__ = "0.1.0"
