"""The one exception type the ingest layer raises for problems with an input file."""

from __future__ import annotations


class IngestError(ValueError):
    """A problem with an input file, worded as a one-line message for the user.

    The message usually starts with the file name, e.g. "empty.txt: the file is empty".
    """
