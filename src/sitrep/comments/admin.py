from django.contrib import admin

from sitrep.comments.models import Comment, DiscussionSettings, ModerationEvent
from sitrep.comments.services import comment_moderate


def _moderate(action):
    def run(modeladmin, request, queryset):
        for comment in queryset:
            comment_moderate(comment=comment, actor=request.user, action=action, reason="admin")

    run.short_description = f"{action.capitalize()} selected comments"
    run.__name__ = f"moderate_{action}"
    return run


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments change only through comment_moderate, so every decision is logged."""

    list_display = ("id", "post", "author_kind", "author_name", "status", "created")
    list_filter = ("status", "author_kind")
    search_fields = ("body", "author_name")
    actions = [_moderate("approve"), _moderate("remove"), _moderate("spam")]
    readonly_fields = [f.name for f in Comment._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    """The moderation log is append-only: readable here, never edited."""

    list_display = ("created", "action", "comment", "actor", "reason")
    list_filter = ("action",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(admin.ModelAdmin):
    list_display = ("mode", "hold_all")
