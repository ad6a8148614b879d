"""The one exception tree of cleanpath.

Library code raises these and never prints or exits; the CLI catches ``CleanpathError`` once
and prints one line, the web layer maps them to HTTP statuses::

    CleanpathError                 anything cleanpath reports on purpose
    ├── InputError                 a file, record or option we were given is wrong (path/line/field)
    │   └── UnknownFormatError     no reader for this file or format name
    ├── KnowledgeBaseError         the shipped or user knowledge base is inconsistent
    ├── ModelError                 a network or demand model cannot be built (empty, unknown node)
    ├── AnalysisError              an analysis cannot run on this model
    │   └── SolverError            the LP/MILP solver failed or gave no answer
    ├── StoreError                 the results database cannot be opened, upgraded or written
    ├── DiscoveryError             a live collector failed as a whole (per-device errors are data)
    └── IntegrityError             the hardware/firmware audit could not run
"""

from __future__ import annotations

__all__ = [
    "AnalysisError",
    "CleanpathError",
    "DiscoveryError",
    "InputError",
    "IntegrityError",
    "KnowledgeBaseError",
    "ModelError",
    "SolverError",
    "StoreError",
    "UnknownFormatError",
]


class CleanpathError(Exception):
    """Base of every error cleanpath raises on purpose.

    ``path``, ``line`` and ``field`` locate the cause when it is in an input; ``str(err)``
    renders as ``path:line: field: message`` with the parts that are known.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        if self.field is not None:
            where += f"{self.field}: "
        return where + self.message

    def located(self, path: str) -> CleanpathError:
        """Return a copy of this error that names ``path`` (used by ``read_x`` wrappers)."""
        err = type(self)(self.message, path=path, line=self.line, field=self.field)
        err.__cause__ = self.__cause__
        return err


class InputError(CleanpathError):
    """Something we were given (a file, a record, an option value) is wrong."""


class UnknownFormatError(InputError):
    """No reader is registered for this file or format name."""


class KnowledgeBaseError(CleanpathError):
    """The knowledge base (vendors, PENs, patterns, policies, costs) is inconsistent."""


class ModelError(CleanpathError):
    """A network, demand set or site list cannot be built from the inputs."""


class AnalysisError(CleanpathError):
    """An analysis cannot run on the model it was given."""


class SolverError(AnalysisError):
    """The LP/MILP solver failed or returned no usable answer."""


class StoreError(CleanpathError):
    """The results database cannot be opened, upgraded or written."""


class DiscoveryError(CleanpathError):
    """A live collector failed as a whole (per-device failures are reported as data)."""


class IntegrityError(CleanpathError):
    """The hardware/firmware integrity audit could not run."""
