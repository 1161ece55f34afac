from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class InboxQuerySerializer(serializers.Serializer):
    membership = serializers.IntegerField(
        required=False,
        help_text=_("Act as this one role (a membership id of the caller); default: every role."),
    )
    kind = serializers.CharField(
        required=False, help_text=_("Only items of this kind (e.g. documents.review).")
    )


class InboxItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("What kind of work (the contributing module's key)."))
    category = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField(help_text=_("The page where the work is done."))
    agency_name = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    since = serializers.DateTimeField(allow_null=True)
    detail = serializers.CharField()
