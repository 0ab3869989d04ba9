from django.contrib.sitemaps import Sitemap

from sitrep.posts.models import Label, Post


class PostSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return Post.objects.live().order_by("-published_at", "-id")

    def lastmod(self, item):
        return max(item.updated, item.published_at)


class LabelSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.3

    def items(self):
        return Label.objects.filter(posts__in=Post.objects.live()).distinct()
