"""Model fields for human text: what they store is always printable (core.text)."""

from __future__ import annotations

from django.db import models
from django.db.models import lookups

from sitrep.core.text import printable


class _Printable:
    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return printable(value) if isinstance(value, str) else value

    def deconstruct(self):
        # Migrations see Django's own field: the column is the same, so no table is rebuilt.
        name, _path, args, kwargs = super().deconstruct()
        return name, f"django.db.models.{self.__class__.__bases__[1].__name__}", args, kwargs


class TextField(_Printable, models.TextField):
    pass


class CharField(_Printable, models.CharField):
    pass


class URLField(_Printable, models.URLField):
    pass


class _PrintableRhs:
    # Text lookups that skip get_prep_value: a NUL in a name looked up would reach PostgreSQL
    # (which refuses it) instead of being matched as it is stored.
    def get_prep_lookup(self):
        value = super().get_prep_lookup()
        return printable(value) if isinstance(value, str) else value


for _lookup in (lookups.IExact, lookups.Contains, lookups.IContains, lookups.StartsWith,
                lookups.IStartsWith, lookups.EndsWith, lookups.IEndsWith):  # fmt: skip
    _clean = type(_lookup.__name__, (_PrintableRhs, _lookup), {})
    for _field in (TextField, CharField, URLField):
        _field.register_lookup(_clean)
