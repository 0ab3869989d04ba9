from django.urls import path

from sitrep.fediverse import views

urlpatterns = [
    path(".well-known/webfinger", views.webfinger, name="fediverse_webfinger"),
    path(".well-known/nodeinfo", views.nodeinfo_links, name="fediverse_nodeinfo_links"),
    path("nodeinfo/2.1", views.nodeinfo, name="fediverse_nodeinfo"),
    path("ap/site", views.actor, name="fediverse_actor"),
    path("ap/site/inbox", views.inbox, name="fediverse_inbox"),
    path("ap/site/outbox", views.outbox, name="fediverse_outbox"),
    path("ap/site/followers", views.followers, name="fediverse_followers"),
    path("ap/site/following", views.following, name="fediverse_following"),
    path("ap/inbox", views.inbox, name="fediverse_shared_inbox"),
    path("ap/posts/<int:post_id>", views.post_object, name="fediverse_post"),
    path("ap/posts/<int:post_id>/replies", views.replies, name="fediverse_replies"),
    path("ap/comments/<int:comment_id>", views.comment_object, name="fediverse_comment"),
    path("ap/activities/<uuid:uid>", views.outgoing, name="fediverse_activity"),
]
