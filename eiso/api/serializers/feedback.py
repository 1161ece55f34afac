"""Satisfaction ratings (read for the agency), complaints and petitions, and the public form's
endpoints. Ids in bodies and query strings are resolved through scoped selectors; the
procedure, department and handler of a complaint are chosen within its agency
(``context["target"]``). The sender's contact is in an answer only for the agency's keepers
and the handler (``context["show_contact"]`` per object)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from eiso.api.serializers.fields import (
    EnumChoiceField,
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
    TargetScopedPrimaryKeyRelatedField,
)
from eiso.api.serializers.objectives import departments_of, visible_agencies
from eiso.feedback import rules, selectors
from eiso.feedback.choices import (
    ComplaintChannel,
    ComplaintKind,
    ComplaintStatus,
    Outcome,
    RatingSource,
)
from eiso.feedback.models import Complaint, Rating

CONTACT = ("contact_name", "contact_phone", "contact_email", "contact_address")


def procedures_of(user, agency):
    return selectors.procedure_choices(agency)


def handlers_of(user, agency):
    return selectors.handler_choices(user=user, agency=agency)


# --- ratings --------------------------------------------------------------------------------------


class RatingSerializer(ModelSerializer):
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    procedure_code = serializers.CharField(
        source="procedure.code", read_only=True, default=None, allow_null=True
    )
    desk_name = serializers.CharField(
        source="desk.name", read_only=True, default=None, allow_null=True
    )
    score = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False)
    source = EnumChoiceField(RatingSource, read_only=True)

    class Meta:
        model = Rating
        fields = [
            "id",
            "agency",
            "agency_code",
            "submitted_on",
            "attitude",
            "timeliness",
            "guidance",
            "result",
            "score",
            "satisfied",
            "procedure",
            "procedure_code",
            "desk",
            "desk_name",
            "dossier_code",
            "comment",
            "source",
        ]
        read_only_fields = fields


class RatingFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(choices=visible_agencies, required=False)
    start = serializers.DateField(required=False, help_text=_("From this day (YYYY-MM-DD)."))
    end = serializers.DateField(required=False, help_text=_("To this day, included."))
    satisfied = serializers.ChoiceField(choices=["yes", "no"], required=False)
    with_comment = serializers.BooleanField(required=False, default=False)
    q = serializers.CharField(required=False, max_length=100, help_text=_("Words of a comment."))


class SummaryQuerySerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies,
        required=False,
        help_text=_("Default: the agency of your role."),
    )
    start = serializers.DateField(required=False, help_text=_("Default: 1 January this year."))
    end = serializers.DateField(required=False, help_text=_("Default: today."))


class CriterionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    average = serializers.DecimalField(
        max_digits=4, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    answered = serializers.IntegerField()
    counts = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Ratings at level 1, 2, 3, 4, 5.")
    )


class SatisfactionSummarySerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    total = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    index = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        coerce_to_string=False,
        allow_null=True,
        help_text=_("Share (%) of ratings whose average is “satisfied” (4) or better."),
    )
    average = serializers.DecimalField(
        max_digits=4, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    criteria = CriterionSerializer(many=True)


# --- complaints -----------------------------------------------------------------------------------


class ComplaintSerializer(ModelSerializer):
    """A complaint or petition. ``contact_*`` are null unless you are one of the agency's
    keepers or the handler."""

    agency_code = serializers.CharField(source="agency.code", read_only=True)
    code = serializers.CharField(read_only=True)
    kind = EnumChoiceField(ComplaintKind, read_only=True)
    channel = EnumChoiceField(ComplaintChannel, read_only=True)
    status = EnumChoiceField(ComplaintStatus, read_only=True)
    outcome = serializers.CharField(read_only=True)
    procedure_code = serializers.CharField(
        source="procedure.code", read_only=True, default=None, allow_null=True
    )
    overdue = serializers.SerializerMethodField()
    contact_name = serializers.SerializerMethodField()
    contact_phone = serializers.SerializerMethodField()
    contact_email = serializers.SerializerMethodField()
    contact_address = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "agency",
            "agency_code",
            "code",
            "tracking_code",
            "kind",
            "channel",
            "subject",
            "content",
            "procedure",
            "procedure_code",
            "dossier_code",
            "received_on",
            "due_date",
            "due_basis",
            "department",
            "handler",
            "status",
            "overdue",
            "answer",
            "answered_on",
            "outcome",
            "closed_on",
            "nonconformity_id",
            *CONTACT,
        ]
        read_only_fields = fields

    def _shown(self, obj) -> bool:
        request = self.context.get("request")
        return request is not None and rules.can_see_contact(request.user, obj)

    def get_overdue(self, obj) -> bool:
        from django.utils import timezone

        from eiso.feedback.choices import OPEN_STATUSES

        return obj.status in OPEN_STATUSES and obj.due_date < timezone.localdate()

    def _contact(self, obj, name: str) -> str | None:
        return getattr(obj, name) if self._shown(obj) else None

    def get_contact_name(self, obj) -> str | None:
        return self._contact(obj, "contact_name")

    def get_contact_phone(self, obj) -> str | None:
        return self._contact(obj, "contact_phone")

    def get_contact_email(self, obj) -> str | None:
        return self._contact(obj, "contact_email")

    def get_contact_address(self, obj) -> str | None:
        return self._contact(obj, "contact_address")


class ComplaintFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(choices=visible_agencies, required=False)
    state = serializers.ChoiceField(
        choices=["open", "overdue", "late"],
        required=False,
        help_text=_(
            "open: waiting for an answer; overdue: open past its due date; late: answered after it."
        ),
    )
    status = EnumChoiceField(ComplaintStatus, required=False)
    kind = EnumChoiceField(ComplaintKind, required=False)
    channel = EnumChoiceField(ComplaintChannel, required=False)
    start = serializers.DateField(required=False, help_text=_("Received from this day."))
    end = serializers.DateField(required=False, help_text=_("Received until this day."))
    q = serializers.CharField(required=False, max_length=100)


class _ComplaintFields(serializers.Serializer):
    subject = serializers.CharField(max_length=300)
    content = serializers.CharField(max_length=5000)
    procedure = TargetScopedPrimaryKeyRelatedField(
        choices=procedures_of, required=False, allow_null=True
    )
    dossier_code = serializers.CharField(max_length=60, required=False, allow_blank=True)
    department = TargetScopedPrimaryKeyRelatedField(
        choices=departments_of, required=False, allow_null=True
    )
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_address = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ComplaintWriteSerializer(_ComplaintFields):
    """Registering a complaint received at the desk, by phone, e-mail, the national portal or
    a letter (the public portal's arrive by themselves)."""

    agency = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies,
        required=False,
        help_text=_("Default: the agency of your role. You must work there."),
    )
    kind = EnumChoiceField(ComplaintKind, required=False)
    channel = EnumChoiceField(
        ComplaintChannel,
        help_text=_("How it was received (public_portal: only the portal itself)."),
    )
    received_on = serializers.DateField(required=False, help_text=_("Default: today."))


class ComplaintUpdateSerializer(_ComplaintFields):
    subject = serializers.CharField(max_length=300, required=False)
    content = serializers.CharField(max_length=5000, required=False)


class AssignSerializer(serializers.Serializer):
    handler = TargetScopedPrimaryKeyRelatedField(choices=handlers_of)
    department = TargetScopedPrimaryKeyRelatedField(
        choices=departments_of, required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=5000)
    outcome = EnumChoiceField(Outcome)
    answered_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ComplaintReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class NonconformitySerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    due_date = serializers.DateField(required=False, allow_null=True)


class NonconformityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()


# --- the public form's endpoints ---------------------------------------------------------------------


class PublicProcedureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class PublicRatingFormSerializer(serializers.Serializer):
    agency = serializers.CharField(help_text=_("The agency's code."))
    agency_name = serializers.CharField()
    desk = serializers.IntegerField(allow_null=True)
    form_token = serializers.CharField(
        help_text=_("Send it back with the rating, once, within two hours.")
    )
    criteria = serializers.DictField(child=serializers.CharField())
    procedures = PublicProcedureSerializer(many=True)


class PublicRatingSerializer(serializers.Serializer):
    agency = serializers.CharField(max_length=40, help_text=_("The agency's code."))
    desk = serializers.IntegerField(required=False, allow_null=True)
    form_token = serializers.CharField(max_length=500)
    attitude = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    timeliness = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    guidance = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    result = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    procedure = serializers.CharField(
        max_length=60, required=False, allow_blank=True, help_text=_("The procedure's code.")
    )
    dossier_code = serializers.CharField(max_length=60, required=False, allow_blank=True)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    website = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Leave empty (a field only robots fill)."),
    )


class PublicRatingResultSerializer(serializers.Serializer):
    received = serializers.BooleanField(
        help_text=_("Always true: a duplicate is acknowledged the same way, and kept once.")
    )


class PublicTrackingSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    agency = serializers.CharField(source="agency.name")
    kind = EnumChoiceField(ComplaintKind)
    subject = serializers.CharField()
    status = EnumChoiceField(ComplaintStatus)
    received_on = serializers.DateField()
    due_date = serializers.DateField()
    answered_on = serializers.DateField(allow_null=True)
    answer = serializers.CharField()
