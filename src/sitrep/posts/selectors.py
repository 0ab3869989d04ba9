"""Reads beyond a QuerySet method: archives, counts."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import TruncMonth


def archive_months(queryset):
    """[(year, [(month_date, count), ...]), ...] newest first, in the site's time zone."""
    rows = (
        queryset.order_by()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("-month")
    )
    years: dict[int, list] = {}
    for row in rows:
        years.setdefault(row["month"].year, []).append((row["month"], row["n"]))
    return [(year, months, sum(n for _, n in months)) for year, months in years.items()]
