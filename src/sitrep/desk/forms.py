from django import forms
from django.forms import formset_factory

from sitrep.core.urlnorm import BadURL, normalize_url
from sitrep.posts.models import Post


class PostForm(forms.Form):
    headline = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"autofocus": True}))
    text = forms.CharField(
        label="Your own text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. Markdown.",
    )
    text_position = forms.ChoiceField(
        label="Show your text", choices=Post.TextPosition.choices, initial="before"
    )
    note = forms.CharField(
        label="Editor's note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Signed with your signature. Markdown.",
    )
    labels = forms.CharField(
        required=False,
        help_text="Comma-separated, e.g. Northmark, Ceasefire talks. New labels are created.",
    )
    published_at = forms.DateTimeField(
        label="Publish time",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Empty means now. A future time schedules the post.",
    )
    comments_open = forms.BooleanField(required=False, initial=True)
    inbox_items = forms.CharField(required=False, widget=forms.HiddenInput)

    def inbox_item_ids(self) -> list[int]:
        raw = self.cleaned_data.get("inbox_items", "")
        return [int(i) for i in raw.split(",") if i.strip().isdigit()]

    def label_names(self) -> list[str]:
        return [n.strip() for n in self.cleaned_data.get("labels", "").split(",") if n.strip()]


class ClipForm(forms.Form):
    outlet_name = forms.CharField(
        label="Outlet",
        max_length=120,
        widget=forms.TextInput(attrs={"list": "outlet-names", "autocomplete": "off"}),
        help_text="Pick one or type a new outlet's name.",
    )
    authors = forms.CharField(label="Author(s)", max_length=300, required=False)
    source_headline = forms.CharField(label="Source headline", max_length=400)
    url = forms.CharField(label="Source URL", max_length=1000)
    source_published = forms.DateField(
        label="Source date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    excerpt = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Paste the paragraphs you quote. Blank lines separate paragraphs; HTML is "
        "cleaned to paragraphs and links.",
    )

    def clean_url(self):
        try:
            return normalize_url(self.cleaned_data["url"])
        except BadURL as exc:
            raise forms.ValidationError(str(exc)) from None


ClipFormSet = formset_factory(ClipForm, extra=0, min_num=1, validate_min=True, can_delete=True)
