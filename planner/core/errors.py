"""The one base of the errors a person reads: a ``code`` and its ``params`` (values already formatted) name what is
wrong; ``str()`` is the English text from the class's table of messages, and planner.core.i18n.error_text says it
in the page's language by the class's ``I18N_PREFIX`` and the code. Domain code never formats text for people in
any other way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar


class CodedError(Exception):
    """Subclass with ``MESSAGES`` (code -> English template) and ``I18N_PREFIX`` (the translation keys' prefix);
    mix in ValueError or RuntimeError where callers expect one."""

    MESSAGES: ClassVar[Mapping[str, str]] = {}
    I18N_PREFIX: ClassVar[str] = ""

    def __init__(self, code: str, **params: object):
        self.code, self.params = code, params
        super().__init__(self.MESSAGES[code].format(**params))
