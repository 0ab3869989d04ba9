"""Engine-specific full-text index over SearchDocument; see search/backends/."""

from django.db import migrations


def _backend(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from sitrep.search.backends import postgres

        return postgres
    from sitrep.search.backends import sqlite

    return sqlite


def create(apps, schema_editor):
    for statement in _backend(schema_editor).SCHEMA:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in _backend(schema_editor).DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
