from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404


def paginate(request, queryset, per_page: int):
    """The requested ?page= of `queryset`; a page past the end is a 404, not a silent page 1."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(page_number(request))
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page") from None


@dataclass
class Window:
    """One page of a listing, known to have a next page or not, without counting the rest.

    Blogger-style "Newer / Older posts" paging needs no total, and a COUNT(*) over a deep
    archive is the most expensive query of a front page (bench/README.md).
    """

    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


MAX_PAGE = 100_000  # past this an OFFSET overflows some databases; no archive is this deep


def page_number(request) -> int:
    """?page= as a page number: ASCII digits only (int() also takes "١٢" and " 7 "), 1..MAX."""
    raw = request.GET.get("page") or "1"
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        raise Http404("No such page")
    return int(raw)


def window(request, queryset, per_page: int) -> Window:
    number = page_number(request)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if not rows and number > 1:
        raise Http404("No such page")
    return Window(rows[:per_page], number, has_next=len(rows) > per_page)
