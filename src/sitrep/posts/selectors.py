"""Reads beyond a QuerySet method: archives, counts."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sitrep.posts.counts import LABEL, MONTH, OUTLET, live_counts
from sitrep.posts.models import Label, Outlet


def archive_months(*, now=None):
    """[(year, [(month_date, count), ...], year_total), ...] newest first, in the site's time
    zone, counting live posts (from the kept counts: posts/counts.py)."""
    counts = live_counts(MONTH, now=now)
    tz = timezone.get_default_timezone()
    years: dict[int, list] = {}
    for key in sorted(counts, reverse=True):
        year, month = divmod(key, 100)
        years.setdefault(year, []).append((dt.datetime(year, month, 1, tzinfo=tz), counts[key]))
    return [(year, months, sum(n for _, n in months)) for year, months in years.items()]


def label_counts(*, now=None) -> list[Label]:
    """Labels with the number of live posts each (as `n`), most used first."""
    counts = live_counts(LABEL, now=now)
    labels = list(Label.objects.filter(pk__in=counts))
    for label in labels:
        label.n = counts[label.pk]
    labels.sort(key=lambda label: (-label.n, label.name))
    return labels


def outlet_counts(*, now=None) -> list[Outlet]:
    """Outlets with the number of live posts quoting each (as `n`), by name."""
    counts = live_counts(OUTLET, now=now)
    outlets = list(Outlet.objects.filter(pk__in=counts))
    for outlet in outlets:
        outlet.n = counts[outlet.pk]
    return outlets
