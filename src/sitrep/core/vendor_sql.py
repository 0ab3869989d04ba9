"""Migrations that differ by database: one operation, statements chosen by the vendor."""

from django.db import migrations


def run_by_vendor(*, sqlite: tuple[list, list], postgresql: tuple[list, list]):
    """A RunPython operation executing (create, drop) statement lists for the database in use."""
    chosen = {"sqlite": sqlite, "postgresql": postgresql}

    def run(index):
        def apply(apps, schema_editor):
            for statement in chosen[schema_editor.connection.vendor][index]:
                schema_editor.execute(statement)

        return apply

    return migrations.RunPython(run(0), run(1))
