"""Full-text index over inbox items; see curation/fulltext.py."""

from django.db import migrations

from sitrep.core.vendor_sql import run_by_vendor
from sitrep.curation import fulltext


class Migration(migrations.Migration):
    dependencies = [("curation", "0001_initial")]
    operations = [
        run_by_vendor(
            sqlite=(fulltext.SQLITE_SCHEMA, fulltext.SQLITE_DROP),
            postgresql=(fulltext.PG_SCHEMA, fulltext.PG_DROP),
        )
    ]
