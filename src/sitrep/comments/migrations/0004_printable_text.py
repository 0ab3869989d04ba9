"""Removes control characters from text stored before core.fields kept them out: one such
comment name made every comment feed answer 500."""

from django.db import migrations

from sitrep.core.text import printable, unprintable_pattern

TEXT = {
    ("comments", "Comment"): ["author_name", "body", "body_html"],
    ("comments", "Ban"): ["value", "reason"],
    ("comments", "ModerationEvent"): ["reason"],
    ("accounts", "User"): ["public_name", "signature"],
    ("posts", "Post"): ["headline", "note", "note_html", "text", "text_html"],
    ("posts", "Clip"): ["authors", "source_headline", "excerpt", "excerpt_html"],
    ("posts", "Outlet"): ["name"],
    ("posts", "Label"): ["name"],
}


def clean(apps, schema_editor):
    pattern = unprintable_pattern(schema_editor.connection.vendor)
    for (app, name), names in TEXT.items():
        model = apps.get_model(app, name)
        for field in names:
            for row in model.objects.filter(**{f"{field}__regex": pattern}).only(field):
                model.objects.filter(pk=row.pk).update(**{field: printable(getattr(row, field))})


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_comment_reading_order"),
        ("accounts", "0002_user_is_moderator"),
        ("posts", "0006_archive_counts"),
    ]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
