"""The admin's list of posts points into the desk, where posts are written; it lives here so
that posts need not know the desk."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from sitrep.posts.models import Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Posts are written in the desk, where clips, previews and publishing live; the admin
    lists them and links there, so no post is ever saved without its rendered HTML."""

    list_display = ("headline", "status", "published_at", "author", "comment_count", "desk_link")
    list_filter = ("status", "labels")
    search_fields = ("headline", "slug")
    date_hierarchy = "published_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Edit")
    def desk_link(self, obj):
        return format_html('<a href="{}">edit in the desk</a>', reverse("desk:edit", args=[obj.pk]))
