"""The desk's import form."""

from django import forms


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Export file",
        help_text="Blogger: Settings → Back up content. WordPress: Tools → Export. "
        "Disqus: Admin → Moderation → Export (comments of posts already here). "
        "Or a file from sitrep's own export.",
    )
    format = forms.ChoiceField(
        choices=[
            ("auto", "Recognise it"),
            ("blogger", "Blogger"),
            ("wordpress", "WordPress"),
            ("disqus", "Disqus comments"),
            ("sitrep", "sitrep export"),
        ],
        initial="auto",
    )
