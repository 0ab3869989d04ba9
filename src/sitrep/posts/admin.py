from django.contrib import admin

from sitrep.posts.models import Label, Outlet


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ("name", "homepage", "domains")
    search_fields = ("name", "domains")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
