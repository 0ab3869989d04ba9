import re

from django import forms
from django.forms import formset_factory

from sitrep.core.urlnorm import BadURL, normalize_url
from sitrep.media.models import MediaFile
from sitrep.media.services import MAX_BYTES, MediaRefused, media_describe, media_store
from sitrep.posts.models import Post
from sitrep.posts.services import MEDIA_PATH, media_name

# An image in the editor's Markdown: ![alt text](address)
MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?[^)]*\)")
ALT_WHY = (
    "Alt text is required: screen readers read it aloud, and it shows where the image does not "
    "load. Say what the image shows, e.g. “Map: the front line east of Northmark, 5 December”."
)


class PostForm(forms.Form):
    headline = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"autofocus": True}))
    text = forms.CharField(
        label="Your own text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. Markdown. Drop, paste or upload images below; each is placed as "
        "![alt text](/media/…) on a line of its own.",
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
    lead_image = forms.ModelChoiceField(
        MediaFile.objects.all(), required=False, widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That image is no longer in the media library."},
    )  # fmt: skip

    def clean_text(self):
        text = self.cleaned_data["text"]
        names = {}
        for alt, src in MARKDOWN_IMAGE.findall(text):
            name = media_name(src)
            if name is None:
                raise forms.ValidationError(
                    f"{src or 'An image'} is not in the media library. Upload the image here: "
                    "an outside address would show someone else's file, or nothing, later."
                )
            names[name] = alt.strip()
        found = {m.file.name: m for m in MediaFile.objects.filter(file__in=list(names))}
        for name, alt in names.items():
            if name not in found:
                raise forms.ValidationError(f"{MEDIA_PATH}{name} is not in the media library.")
            if not alt and not found[name].alt:
                raise forms.ValidationError(f"{MEDIA_PATH}{name} has no alt text. {ALT_WHY}")
        return text

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


class ImageForm(forms.Form):
    """One image into the media library, with what readers are told about it."""

    file = forms.FileField(
        label="Image", required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,"
                                               "image/avif,image/gif"}),
        help_text=f"JPEG, PNG, WebP, AVIF or GIF, up to {MAX_BYTES // 2**20} MB. Location, "
        "camera and author details in the file are removed before anything is kept.",
    )  # fmt: skip
    alt = forms.CharField(label="Alt text", max_length=500, required=False, help_text=ALT_WHY)
    caption = forms.CharField(max_length=300, required=False)
    credit = forms.CharField(
        max_length=200, required=False,
        help_text="Shown under the image: “Photo: Harbor Ledger”, “Map: our own”.",
    )  # fmt: skip
    place = forms.ChoiceField(
        label="Use it", choices=[("lead", "As the lead image"), ("text", "In your text")],
        initial="text", widget=forms.RadioSelect, required=False,
    )  # fmt: skip

    def __init__(self, *args, file_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_required = file_required

    def has_file(self) -> bool:
        return bool(self.files.get(self.add_prefix("file")))

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if not upload:
            if self.file_required:
                self.add_error("file", "Choose an image file.")
            return data
        if not data.get("alt", "").strip():
            self.add_error("alt", ALT_WHY)
            return data
        if upload.size > MAX_BYTES:
            self.add_error("file", f"{upload.name} is larger than {MAX_BYTES // 2**20} MB.")
            return data
        words = {name: data.get(name, "") for name in ("alt", "caption", "credit")}
        try:
            media = media_store(content=upload.read(), **words)
        except MediaRefused as exc:
            self.add_error("file", f"{upload.name} was not kept: {exc}.")
            return data
        if not media.alt:  # the same file came before, by an import, without a description
            media = media_describe(media=media, **words)
        data["media"] = media
        return data


def markdown_for(media: MediaFile, alt: str = "") -> str:
    """How the editor's text shows a library image: a line of its own."""
    alt = (alt or media.alt).replace("]", ")").replace("[", "(")
    return f"![{alt}]({MEDIA_PATH}{media.file.name})"
