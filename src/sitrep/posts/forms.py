"""The desk's outlet form."""

from django import forms

from sitrep.posts.models import Outlet


class OutletForm(forms.ModelForm):
    homepage = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Outlet
        fields = [
            "name", "homepage", "domains", "country", "language", "ownership",
            "reliability_note", "comment_links",
        ]  # fmt: skip
        widgets = {
            "reliability_note": forms.Textarea(attrs={"rows": 3}),
            "comment_links": forms.RadioSelect,
        }
        help_texts = {
            "domains": "Its web addresses, separated by spaces: example.com news.example.com. "
            "Clips and links in comments are matched to the outlet by these.",
        }
