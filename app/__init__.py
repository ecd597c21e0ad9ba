"""Alinea: align an original with its translation, review the pairs, export them."""
