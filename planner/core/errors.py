"""The one base of the errors a person reads: a ``code`` and its ``params`` (values already formatted) name what is
wrong; ``str()`` is the English text from the class's table of messages, and planner.core.i18n.error_text says it
in the page's language by the class's ``I18N_PREFIX`` and the code. Domain code never formats text for people in
any other way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class Amount(float):
    """A sum of money as an error's parameter, in the currency of the problem that raised it (a plan's brief):
    the reader's language and currency format it (planner.core.i18n.error_text takes a ``money`` function);
    the error's own English text groups it with commas (2,800)."""

    def __format__(self, spec: str) -> str:
        return format(float(self), spec or ",.0f")


class Count(float):
    """A number of things (units, people) as an error's parameter: formatted in the reader's language."""

    def __format__(self, spec: str) -> str:
        return format(float(self), spec or ",.0f")


class Share(float):
    """A share (a fraction: 0.12 is 12 %) as an error's parameter: formatted as a percent in the reader's
    language."""

    def __format__(self, spec: str) -> str:
        return format(100 * float(self), spec or ".3g") + "\u202f%"


class CodedError(Exception):
    """Subclass with ``MESSAGES`` (code -> English template) and ``I18N_PREFIX`` (the translation keys' prefix);
    mix in ValueError or RuntimeError where callers expect one."""

    MESSAGES: ClassVar[Mapping[str, str]] = {}
    I18N_PREFIX: ClassVar[str] = ""

    def __init__(self, code: str, **params: object):
        self.code, self.params = code, params
        super().__init__(self.MESSAGES[code].format(**params))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its message and attributes, not by calling ``__init__`` again with the message as a code (a
        report or a solve held in a cache is pickled with the error it carries)."""
        return (_restore, (type(self), self.args), self.__dict__)


def _restore(cls: type[BaseException], args: tuple[Any, ...]) -> BaseException:
    """An error rebuilt from its pickle (its attributes come back as its state: :meth:`CodedError.__reduce__`)."""
    error = cls.__new__(cls)
    BaseException.__init__(error, *args)
    return error
