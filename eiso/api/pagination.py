"""The API's page-number pagination, with counts that stay cheap at millions of rows."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from eiso.core.pagination import COUNT_CAP, CheapPaginator


class StandardPagination(PageNumberPagination):
    """Pages of 50 (``page_size`` up to 500). The count is exact up to ``COUNT_CAP`` rows, as
    on the pages (eiso.core.pagination.CheapPaginator): past it ``count`` is the cap,
    ``count_exact`` is false and ``count_estimate`` gives PostgreSQL's estimate of the whole
    (null when it cannot tell). Every page past the cap still opens: ``next`` says whether
    there is one. A search (``?q=``) reads its matches once, as the pages do."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    searching = False

    @property
    def django_paginator_class(self):
        return partial(CheapPaginator, keys_first=self.searching)

    def paginate_queryset(self, queryset, request, view=None):
        self.searching = bool(request.query_params.get("q", "").strip())
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_exact": paginator.exact,
                "count_estimate": paginator.estimate,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        properties = response["properties"]
        properties["count"]["description"] = str(
            _("Rows in all, exact up to %(cap)s; past it, %(cap)s (see count_exact).")
            % {"cap": COUNT_CAP}
        )
        extra = {
            "count_exact": {
                "type": "boolean",
                "description": str(_("Whether count is the exact number of rows.")),
            },
            "count_estimate": {
                "type": "integer",
                "nullable": True,
                "description": str(
                    _("When count is not exact: the database's estimate of the whole, if any.")
                ),
            },
        }
        response["properties"] = {
            "count": properties.pop("count"),
            **extra,
            **properties,
        }
        response["required"] = ["count", "count_exact", "results"]
        return response
