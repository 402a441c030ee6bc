"""Exceptions for a *broken run* (bad input becomes a QuarantineReason instead).

    OpenDisclosureError
    ├── ConfigurationError      settings or paths that cannot work
    ├── PublishError            the package could not be written; the last good one is kept
    └── DocumentReadError       a PDF library failed in a way triage did not foresee
"""


class OpenDisclosureError(Exception):
    """Base of every error this project raises on purpose."""


class ConfigurationError(OpenDisclosureError):
    pass


class PublishError(OpenDisclosureError):
    pass


class DocumentReadError(OpenDisclosureError):
    pass
