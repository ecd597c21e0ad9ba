"""Errors that carry a message for the user, shared by the CLI and the web layer."""


class AlineaError(Exception):
    """A problem the user can fix; the message says what and how."""


class NotFound(AlineaError):
    pass


class InvalidRequest(AlineaError):
    pass


class Conflict(AlineaError):
    """A change was made on a version of the data that someone else has changed since."""


class Unavailable(AlineaError):
    """A service Alinea needs (e.g. the job queue) cannot be reached; retry later."""
