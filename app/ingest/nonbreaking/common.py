"""Non-breaking prefixes shared by every language, and the fallback for languages without a list.

Only abbreviations that travel between languages: English titles and Latin abbreviations.
"""

STRONG = """
Dr. Drs. Prof. Mr. Mrs. Ms.
e.g. i.e. cf. vs. viz.
"""

WEAK = """
etc. a.m. p.m.
"""
