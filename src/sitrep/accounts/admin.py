from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from sitrep.accounts.models import User


@admin.register(User)
class SitrepUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("sitrep", {"fields": ("public_name", "is_editor", "signature")}),
    )
    list_display = ("username", "public_name", "is_editor", "signature", "email", "is_active")
    list_filter = ("is_editor", "is_staff", "is_active")
