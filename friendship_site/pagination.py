"""Pages of long lists without counting them.

Counting every published article of a category on each request costs more, at a hundred
thousand articles, than the rest of the page; news sites show "newer / older" instead of
"page 3 of 812". A page reads one row more than it shows, to know whether there is a next.
"""

from django.http import Http404

MAX_ROWS = 1_000_000


class ListPage:
    """The ``number``-th page of ``queryset``, ``per_page`` rows; duck-types the parts of
    Django's Page that templates use (no ``paginator``: the total is not known)."""

    def __init__(self, queryset, number, per_page):
        self.number = number
        start = (number - 1) * per_page
        if start:
            # The database computes every column of the rows it skips (the cards' category
            # names, photos…): find the page's rows by their keys first, then read them.
            keys = queryset.values("pk")[start : start + per_page + 1]
            rows = list(queryset.filter(pk__in=keys))
        else:
            rows = list(queryset[: per_page + 1])
        self.object_list = rows[:per_page]
        self._has_next = len(rows) > per_page

    @classmethod
    def from_request(cls, request, queryset, per_page):
        """The page the query string asks for: a missing or malformed number is the first
        page; a page past the end is a 404 (search engines must not index it)."""
        try:
            number = int(request.GET.get("page", 1))
        except ValueError:
            number = 1
        number = max(number, 1)
        # Beyond a million rows the offset alone would be slow: nobody reads that far.
        if number > MAX_ROWS // per_page:
            raise Http404("No such page.")
        page = cls(queryset, number, per_page)
        if number > 1 and not page.object_list:
            raise Http404("No such page.")
        return page

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1
