"""The desk's URLs: the frame includes every app's desk screens under /desk/."""

from django.urls import path

from sitrep.accounts import desk as accounts
from sitrep.comments import desk as comments
from sitrep.curation import desk as curation
from sitrep.desk import health, library, views
from sitrep.fediverse import desk as fediverse
from sitrep.importers import desk as importers
from sitrep.linkcheck import desk as link_checks
from sitrep.mail import desk as mail
from sitrep.places import desk as places
from sitrep.posts import desk as outlets
from sitrep.stories import desk as stories

app_name = "desk"
urlpatterns = [
    path("", views.home, name="home"),
    path("posts/new/", views.compose, name="new"),
    path("posts/<int:post_id>/", views.compose, name="edit"),
    path("media/", library.library, name="library"),
    path("media/upload/", library.library_upload, name="library_upload"),
    path("media/<int:media_id>/", library.library_item, name="library_item"),
    path("comments/", comments.comments, name="comments"),
    path("comments/purge/", comments.purge, name="purge"),
    path("queue/", comments.queue, name="queue"),
    path("queue/bulk/", comments.queue_bulk, name="queue_bulk"),
    path("bans/", comments.bans, name="bans"),
    path("blocked-words/", comments.blocked_words, name="blocked_words"),
    path("settings/", comments.discussion_settings, name="settings"),
    path("import/", importers.import_view, name="import"),
    path("import/<int:run_id>/", importers.import_run_view, name="import_run"),
    path(
        "import/<int:run_id>/images/retry/",
        importers.import_images_retry,
        name="import_images_retry",
    ),
    path("export/", importers.export_view, name="export"),
    path("inbox/", curation.inbox, name="inbox"),
    path("inbox/mark/<str:action>/", curation.inbox_mark, name="inbox_mark"),
    path("inbox/roundup/", curation.inbox_roundup, name="inbox_roundup"),
    path("feeds/", curation.feeds, name="feeds"),
    path("feeds/<int:feed_id>/<str:action>/", curation.feed_action, name="feed_action"),
    path("feeds/import/", curation.feeds_import, name="feeds_import"),
    path("feeds/export/", curation.feeds_export, name="feeds_export"),
    path("watch-words/", curation.watch_words, name="watch_words"),
    path("clip/", curation.clip, name="clip"),
    path("stories/", stories.stories, name="stories"),
    path("stories/<int:story_id>/", stories.story, name="story"),
    path("stories/update/", curation.story_update, name="story_update"),
    path("sources/", link_checks.report, name="sources"),
    path("sources/<int:source_id>/fix/", link_checks.fix, name="source_fix"),
    path("sources/<int:source_id>/copy/", link_checks.copy, name="source_copy"),
    path("places/", places.places, name="places"),
    path("places/<int:post_id>/", places.post_places, name="post_places"),
    path("outlets/", outlets.outlets, name="outlets"),
    path("outlets/<int:outlet_id>/", outlets.outlet_edit, name="outlet_edit"),
    path("security/", accounts.security, name="security"),
    path("audit/", accounts.audit_log, name="audit"),
    path("mail/", mail.mail_home, name="mail"),
    path("mail/subscribers/", mail.mail_subscribers, name="mail_subscribers"),
    path("mail/subscribers.csv", mail.mail_subscribers_csv, name="mail_subscribers_csv"),
    path(
        "mail/subscribers/<int:subscriber_id>/remove/",
        mail.mail_subscriber_remove,
        name="mail_subscriber_remove",
    ),
    path("mail/outbox/", mail.mail_outbox, name="mail_outbox"),
    path("mail/digest/", mail.mail_digest_preview, name="mail_digest"),
    path("mail/test/", mail.mail_test_send, name="mail_test"),
    path("fediverse/", fediverse.fediverse, name="fediverse"),
    path("fediverse/profile/", fediverse.profile_edit, name="fediverse_profile"),
    path(
        "fediverse/followers/<int:follower_id>/",
        fediverse.follower_action,
        name="fediverse_follower",
    ),
    path("fediverse/servers/<int:server_id>/", fediverse.server_action, name="fediverse_server"),
    path("worker/", health.worker_health, name="worker"),
    path("worker/retry/<uuid:result_id>/", health.worker_retry, name="worker_retry"),
]
