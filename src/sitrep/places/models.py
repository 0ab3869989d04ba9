"""Places posts are about: found in the text by the gazetteer, confirmed by an editor."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from sitrep.core import fields
from sitrep.posts.models import Post


class Place(models.Model):
    class Kind(models.TextChoices):
        COUNTRY = "country", "Country"
        REGION = "region", "Region"
        CITY = "city", "City or town"

    # The gazetteer's id for it ("city:170063", "country:SY", "region:SY-DY"): the same place
    # however the text spells it.
    key = models.CharField(max_length=40, unique=True)
    name = fields.CharField(max_length=200)  # as the site writes it (editable)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    country_code = models.CharField(max_length=2, blank=True)
    country_name = fields.CharField(max_length=100, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    population = models.PositiveBigIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("place", args=[self.slug])

    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class PostPlace(models.Model):
    class State(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_places")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="post_places")
    state = models.CharField(max_length=9, choices=State.choices, default=State.SUGGESTED)
    matched = fields.CharField(max_length=200, blank=True)  # the words in the post that matched
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "place"], name="one_post_place")]
        indexes = [models.Index(fields=["place", "state"])]

    def __str__(self):
        return f"{self.place} in {self.post} ({self.state})"
