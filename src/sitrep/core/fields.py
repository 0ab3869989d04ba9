"""Model fields for human text: what they store is always printable (core.text)."""

from __future__ import annotations

from django.db import models

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
