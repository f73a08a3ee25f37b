"""Frozen dataclasses with mapping fields: the mappings become read-only views of private copies (edit with
``dataclasses.replace``), and the object stays picklable, hashable and comparable. Used by the benchmark tables
(planner.estimates.benchmarks) and the brief (planner.planning.brief)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from types import MappingProxyType
from typing import Any


def _rebuild(cls: type, kwargs: dict) -> Any:
    return cls(**kwargs)


def _hashable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return frozenset((k, _hashable(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    return value


class FrozenMappings:
    """Mixin for ``@dataclass(frozen=True)`` classes whose fields include mappings: call ``_freeze_mappings()`` in
    ``__post_init__``."""

    def _freeze_mappings(self) -> None:
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, Mapping) and not isinstance(value, MappingProxyType):
                object.__setattr__(self, f.name, MappingProxyType(dict(value)))

    def __reduce__(self):  # picklable (mapping proxies are not)
        return _rebuild, (type(self), {f.name: (dict(v) if isinstance(v := getattr(self, f.name), Mapping) else v)
                                        for f in fields(self)})  # type: ignore[arg-type]

    def __hash__(self) -> int:
        return hash(tuple(_hashable(getattr(self, f.name)) for f in fields(self)))  # type: ignore[arg-type]
