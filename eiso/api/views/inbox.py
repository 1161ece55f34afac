"""``/api/v1/inbox/``: what waits on the caller — the same items as the page, from the same
providers and the same scoping (every role of the caller, or one with ``?membership=``)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from eiso.api.serializers.fields import ErrorSerializer
from eiso.api.serializers.inbox import InboxItemSerializer, InboxQuerySerializer
from eiso.api.views.base import ApiViewSet
from eiso.core import inbox
from eiso.core.scoping import act_as, all_memberships


class InboxViewSet(ApiViewSet):
    serializer_class = InboxItemSerializer
    pagination_class = None  # one list, at most `limit` items: not paginated (the schema says so)

    @extend_schema(
        summary=_("Everything waiting on the caller"),
        description=_(
            "Revisions to review or approve, drafts returned, decisions to sign, documents to "
            "read, revision tasks, announcements to receive and what every other module "
            "contributes: overdue first, then by due date. Without membership, every role "
            "of the caller."
        ),
        parameters=[InboxQuerySerializer],
        responses={200: InboxItemSerializer(many=True), 400: ErrorSerializer},
    )
    def list(self, request):
        query = self.query(InboxQuerySerializer)
        membership = None
        if "membership" in query:
            membership = next(
                (m for m in all_memberships(request.user) if m.pk == query["membership"]), None
            )
            if membership is None:
                raise Http404
            act_as(request.user, membership)
        today = timezone.localdate()
        items = inbox.inbox_for(
            request.user,
            membership=membership,
            today=today,
            kinds=[query["kind"]] if query.get("kind") else (),
        )
        data = [
            {
                "kind": i.kind,
                "category": str(i.category),
                "title": i.title,
                "url": request.build_absolute_uri(i.url) if i.url.startswith("/") else i.url,
                "agency_name": i.agency_name,
                "due": i.due,
                "overdue": i.overdue_on(today),
                "since": i.since,
                "detail": i.detail,
            }
            for i in items
        ]
        return Response(InboxItemSerializer(data, many=True).data)
