"""Domain errors: each carries a message fit to show the user."""


class DomainError(Exception):
    """A rule was broken; `str(error)` is a polite sentence for the user."""


class NotFound(DomainError):
    pass


class NotAllowed(DomainError):
    pass


class Conflict(DomainError):
    """The thing changed under us (a stale button, a lost race)."""
