"""Full-text index over inbox items; see curation/fulltext.py."""

from django.db import migrations


def _statements(schema_editor, create: bool):
    from sitrep.curation import fulltext

    if schema_editor.connection.vendor == "postgresql":
        return fulltext.PG_SCHEMA if create else fulltext.PG_DROP
    return fulltext.SQLITE_SCHEMA if create else fulltext.SQLITE_DROP


def create(apps, schema_editor):
    for statement in _statements(schema_editor, True):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in _statements(schema_editor, False):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("curation", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
