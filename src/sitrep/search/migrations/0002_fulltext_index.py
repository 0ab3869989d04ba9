"""Engine-specific full-text index over SearchDocument; see search/backends/."""

from django.db import migrations

from sitrep.core.vendor_sql import run_by_vendor
from sitrep.search.backends import postgres, sqlite


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [
        run_by_vendor(
            sqlite=(sqlite.SCHEMA, sqlite.DROP), postgresql=(postgres.SCHEMA, postgres.DROP)
        )
    ]
