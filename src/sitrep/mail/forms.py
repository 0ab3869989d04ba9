from django import forms


class SubscribeForm(forms.Form):
    email = forms.EmailField(max_length=254, label="Your e-mail address")
    digest = forms.BooleanField(required=False, initial=True, label="A daily digest")
    each_post = forms.BooleanField(required=False, label="Each post as it is published")
    story = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not (data.get("digest") or data.get("each_post") or data.get("story")
                or data.get("label")):  # fmt: skip
            raise forms.ValidationError("Choose what you would like to receive.")
        return data
