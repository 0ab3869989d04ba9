from django import forms

from sitrep.comments.models import DiscussionSettings
from sitrep.comments.spam import MAX_BODY_CHARS


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_BODY_CHARS}),
        help_text="Markdown: *emphasis*, [links](https://…), > quotes, lists, `code`. "
        "Bare links work too.",
        # The length guard gives the clearer message; this only stops absurd payloads.
        max_length=MAX_BODY_CHARS * 4,
        strip=False,
    )
    author_name = forms.CharField(
        label="Name", max_length=80, required=False, help_text="Leave empty to post as Anonymous."
    )
    author_website = forms.URLField(
        label="Website", max_length=300, required=False, assume_scheme="https"
    )
    secret = forms.CharField(
        label="Secret phrase",
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"}),
        help_text="Optional. The same phrase gives the same ◆ signature each time, so readers "
        "can tell you apart; nobody can forge it without the phrase.",
    )
    notify_email = forms.EmailField(
        label="E-mail me replies", max_length=254, required=False,
        help_text="Optional and never shown. Confirmed once; every mail can stop it.",
    )  # fmt: skip
    parent_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)
    # Honeypot: hidden from people by CSS and aria-hidden; programs fill every field they see.
    honeypot = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, require_name=False, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            del self.fields["author_name"]
            del self.fields["author_website"]
            del self.fields["secret"]
        elif require_name:
            self.fields["author_name"].required = True
            self.fields["author_name"].help_text = "A name is required on this site."


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_BODY_CHARS}),
        max_length=MAX_BODY_CHARS * 4,
        strip=False,
    )


REASONS = [
    ("", "No reason given"),
    ("Spam or advertising", "Spam or advertising"),
    ("Personal attack", "Personal attack"),
    ("Off topic", "Off topic"),
    ("Misinformation", "Misinformation"),
    ("Impersonation", "Impersonation"),
]


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("approve", "Approve"),
            ("remove", "Remove"),
            ("spam", "Spam"),
            ("hold", "Hold"),
            ("ban", "Ban"),
        ]  # fmt: skip
    )
    reason = forms.CharField(max_length=300, required=False)
    next = forms.CharField(required=False)


class DiscussionSettingsForm(forms.ModelForm):
    class Meta:
        model = DiscussionSettings
        fields = ["mode", "hold_all", "hold_links_from_new", "flags_to_hold", "public_log"]
        widgets = {"mode": forms.RadioSelect}
