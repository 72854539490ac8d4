"""Errors the resource providers raise. Each message says what happened and what to do.

    ResourceError                 base of everything below
    ├── InvalidArgumentsError     create/update called with inputs that fail ``check``
    ├── DuplicateIdError          the id is taken and adopt=True was not given
    ├── ObjectDeletedError        update of an object someone deleted outside Pulumi
    ├── DeleteRefusedError        the API refuses a delete (a pipeline still uses the object)
    └── OperationError            any other API or transport failure, with the resource named

No message contains an input value: secrets cannot leak through them. Configuration
problems are the client's ``ConfigurationError`` and pass through unchanged.
"""

from __future__ import annotations


class ResourceError(Exception):
    """A resource operation failed; the message names the object and the fix."""


class InvalidArgumentsError(ResourceError):
    pass


class DuplicateIdError(ResourceError):
    pass


class ObjectDeletedError(ResourceError):
    pass


class DeleteRefusedError(ResourceError):
    pass


class OperationError(ResourceError):
    pass
