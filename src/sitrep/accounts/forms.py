from django import forms
from django.contrib.auth.forms import UserCreationForm

from sitrep.accounts.models import SecurityPolicy, User
from sitrep.accounts.selectors import name_is_reserved
from sitrep.core.text import one_line

RESERVED_MESSAGE = "That name belongs to an editor of this site. Choose another."


class PublicNameMixin:
    def clean_public_name(self):
        name = one_line(self.cleaned_data.get("public_name", ""))
        if name and name_is_reserved(name, exclude_user=self.instance):
            raise forms.ValidationError(RESERVED_MESSAGE)
        return name


class SignupForm(PublicNameMixin, UserCreationForm):
    email = forms.EmailField(
        required=False, help_text="Optional; needed only to reset a forgotten password."
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "public_name", "email"]
        help_texts = {
            "public_name": "Shown beside your comments. Leave empty to appear as “Unknown”.",
        }

    def clean_username(self):
        username = super().clean_username()
        if name_is_reserved(username):
            raise forms.ValidationError(RESERVED_MESSAGE)
        return username


class ProfileForm(PublicNameMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["public_name", "email"]
        help_texts = {
            "public_name": "Shown beside your comments. Leave empty to appear as “Unknown”.",
        }


class SecurityPolicyForm(forms.ModelForm):
    class Meta:
        model = SecurityPolicy
        fields = ["staff_two_factors"]
