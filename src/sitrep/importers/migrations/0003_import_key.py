# A rename (SourceKey is ImportKey: "source" means a cited page); every row is kept.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('importers', '0002_import_runs'),
    ]

    operations = [
        migrations.RenameModel(
            old_name='SourceKey',
            new_name='ImportKey',
        ),
        migrations.RemoveConstraint(
            model_name='importkey',
            name='source_key_unique',
        ),
        migrations.RenameIndex(
            model_name='importkey',
            new_name='importers_i_kind_2de16d_idx',
            old_name='importers_s_kind_7b3f8d_idx',
        ),
        migrations.AddConstraint(
            model_name='importkey',
            constraint=models.UniqueConstraint(fields=('kind', 'key'), name='import_key_unique'),
        ),
    ]
