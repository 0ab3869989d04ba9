from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path, register_converter
from django.views.generic.base import RedirectView

from sitrep.accounts import views as accounts_views
from sitrep.comments import feeds as comment_feeds
from sitrep.comments import views as comment_views
from sitrep.importers import views as old
from sitrep.media import views as media_views
from sitrep.pages.cache import public_page
from sitrep.places import feeds as place_feeds
from sitrep.places import views as place_views
from sitrep.posts import feeds as post_feeds
from sitrep.posts import views as post_views
from sitrep.posts.sitemaps import LabelSitemap, PostSitemap
from sitrep.search import views as search_views
from sitrep.stories import views as story_views
from sitrep.stories.feeds import StoryFeed


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):02d}"


class Year:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(TwoDigits, "dd")
register_converter(Year, "yyyy")

sitemaps = {"posts": PostSitemap, "labels": LabelSitemap}

# The admin signs in through the site's own sign-in, so its second factor and lock-out apply.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", post_views.front, name="front"),
    path("media/<path:path>", media_views.serve, name="media"),
    # Posts and archives: /2017/, /2017/06/, /2017/06/13/, /2017/06/slug/
    path("<yyyy:year>/", post_views.archive_year, name="archive_year"),
    path("<yyyy:year>/<dd:month>/", post_views.archive_month, name="archive_month"),
    path("<yyyy:year>/<dd:month>/<dd:day>/", post_views.archive_day, name="archive_day"),
    path("<yyyy:year>/<dd:month>/<slug:slug>/", comment_views.post_detail, name="post_detail"),
    path(
        "<yyyy:year>/<dd:month>/<slug:slug>/comments.atom",
        comment_feeds.AtomPostCommentFeed(),
        name="post_comments_atom",
    ),
    path(
        "<yyyy:year>/<dd:month>/<slug:slug>/comments.rss",
        comment_feeds.PostCommentFeed(),
        name="post_comments_rss",
    ),
    path("archive/", post_views.archive_index, name="archive"),
    path("label/<slug:slug>/", post_views.label, name="label"),
    path("label/<slug:slug>/feed.atom", post_feeds.AtomLabelFeed(), name="label_atom"),
    path("label/<slug:slug>/feed.rss", post_feeds.LabelFeed(), name="label_rss"),
    path("outlet/<slug:slug>/", post_views.outlet, name="outlet"),
    path("outlet/<slug:slug>/feed.atom", post_feeds.AtomOutletFeed(), name="outlet_atom"),
    path("outlet/<slug:slug>/feed.rss", post_feeds.OutletFeed(), name="outlet_rss"),
    path("stories/", story_views.story_index, name="stories"),
    path("stories/<slug:slug>/", story_views.story_detail, name="story"),
    path("stories/<slug:slug>/feed.atom", public_page(StoryFeed()), name="story_atom"),
    path("places/", place_views.place_index, name="places"),
    path("places/posts.geojson", public_page(place_feeds.geojson), name="places_geojson"),
    path("places/posts.atom", public_page(place_feeds.GeoPostFeed()), name="places_georss"),
    path("places/<slug:slug>/", place_views.place, name="place"),
    path("places/<slug:slug>/feed.atom", public_page(place_feeds.PlaceFeed()), name="place_atom"),
    path("map/", place_views.map_view, name="map"),
    path("search/", search_views.search, name="search"),
    path("about/", post_views.about, name="about"),
    # Feeds
    path("feeds/posts.atom", public_page(post_feeds.AtomPostFeed()), name="posts_atom"),
    path("feeds/posts.rss", public_page(post_feeds.PostFeed()), name="posts_rss"),
    path("feeds/comments.atom", comment_feeds.AtomCommentFeed(), name="comments_atom"),
    path("feeds/comments.rss", comment_feeds.CommentFeed(), name="comments_rss"),
    path("sitemap.xml", sitemap_views.sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", post_views.robots_txt, name="robots_txt"),
    path("favicon.ico", post_views.favicon),
    # Addresses from Blogger and WordPress, kept alive after an import
    re_path(r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<slug>[^/]+)\.html$", old.old_post),
    re_path(r"^[0-9]{4}/[0-9]{2}/[0-9]{2}/(?P<slug>[^/]+)/$", old.old_post),
    path("search/label/<str:name>", old.old_label),
    path("search", old.old_search),
    re_path(
        r"^(?P<year>[0-9]{4})_(?P<month>[0-9]{2})_(?P<day>[0-9]{2})_archive\.html$", old.old_archive
    ),
    path("feeds/posts/default", old.old_posts_feed),
    path("feeds/posts/default/-/<str:name>", old.old_label_feed),
    path("feeds/comments/default", old.old_comments_feed),
    path("feeds/<int:post_id>/comments/default", old.old_post_comments_feed),
    # Discussion
    path("comments/<int:comment_id>/", comment_views.comment_permalink, name="comment_permalink"),
    path("comments/post/<int:post_id>/", comment_views.comment_create, name="comment_create"),
    path("comments/<int:comment_id>/edit/", comment_views.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete/", comment_views.comment_delete, name="comment_delete"),
    path("comments/<int:comment_id>/flag/", comment_views.comment_flag_view, name="comment_flag"),
    path("moderation/", comment_views.moderation_log, name="moderation_log"),
    path(
        "comments/<int:comment_id>/moderate/",
        comment_views.comment_moderate_view,
        name="comment_moderate",
    ),
    # Accounts
    path("accounts/signup/", accounts_views.signup, name="signup"),
    path("accounts/profile/", accounts_views.profile, name="profile"),
    # One's e-mail address is kept with the profile, not in allauth's list of addresses.
    path("accounts/email/", RedirectView.as_view(pattern_name="profile")),
    path("accounts/", include("allauth.urls")),  # sign-in, passwords, two factors
    path("accounts/sessions/", include("allauth.usersessions.urls")),
    # Editors
    path("mail/", include("sitrep.mail.urls")),
    path(
        "", include("sitrep.fediverse.urls")
    ),  # WebFinger, NodeInfo, the site's actor  # following the site by e-mail
    path("desk/", include("sitrep.desk.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "sitrep.posts.views.not_found"
handler500 = "sitrep.posts.views.server_error"
