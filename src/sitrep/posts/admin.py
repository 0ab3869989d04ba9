from django.contrib import admin
from django.db import models

from sitrep.posts.models import Label, Outlet


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ("name", "homepage", "domains")
    search_fields = ("name", "domains")
    prepopulated_fields = {"slug": ("name",)}
    # A homepage typed without a scheme is https, as in the desk's outlet form.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
