from django.db import migrations, models


def count_existing_posts(apps, schema_editor):
    # The kept counts start right on a site that already has posts.
    from sitrep.posts.counts import count_everything

    count_everything(
        apps.get_model("posts", "Post"),
        apps.get_model("posts", "Clip"),
        apps.get_model("posts", "ArchiveCount"),
        schema_editor.connection,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('posts', '0005_clip_outlet_post_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='ArchiveCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('month', 'Month'), ('label', 'Label'), ('outlet', 'Outlet'), ('zone', 'Zone')], max_length=6)),
                ('key', models.BigIntegerField()),
                ('n', models.IntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('kind', 'key'), name='archivecount_kind_key')],
            },
        ),
        migrations.RunPython(count_existing_posts, migrations.RunPython.noop),
    ]
