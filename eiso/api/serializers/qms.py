"""The QMS record of an agency, its announcements of conformity and its steering committee.

Every id in a body or query string is resolved through a scoped selector: an id the user may
not use gets the same answer as one that does not exist. The people of a committee are chosen
among those who work in the decision's agency (``context["target"]``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from eiso.api.serializers.documents import AGENCY_HELP, AgencyBriefSerializer
from eiso.api.serializers.fields import (
    EnumChoiceField,
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
    TargetScopedPrimaryKeyRelatedField,
)
from eiso.core.roles import Action
from eiso.documents import selectors as document_selectors
from eiso.documents.choices import DocumentKind
from eiso.organizations.selectors import agency_choices, agency_list
from eiso.qms import outputs, selectors
from eiso.qms.choices import (
    AnnouncementAction,
    AnnouncementKind,
    AnnouncementStatus,
    CommitteeRole,
    QmsStatus,
    StandardVersion,
)
from eiso.qms.models import (
    Announcement,
    AnnouncementEvent,
    CommitteeDecision,
    CommitteeMember,
    QualitySystem,
)
from eiso.qms.selectors import ANNOUNCEMENT_ORDERINGS
from eiso.qms.workflows import WORKFLOW

# --- scoped choices ----------------------------------------------------------------------------


def visible_agencies(user):
    return agency_list(user=user)


def kept_agencies(user):
    """Agencies whose records the user may change (their own; overseers keep none)."""
    return agency_choices(user=user, action=Action.CHANGE)


def quality_policies(user, agency):
    return document_selectors.document_choices(user=user, agency=agency).filter(
        kind=DocumentKind.QUALITY_POLICY
    )


def committee_people(user, agency):
    return selectors.committee_user_choices(user=user, agency=agency)


AGENCY_QUERY_HELP = _(
    "Default: the agency of your role. Another agency must be one you may see (to read) or "
    "keep (to change); any other is answered 404."
)

# --- announcements -----------------------------------------------------------------------------


class AnnouncementSerializer(ModelSerializer):
    """An announcement with the scope recorded when it was prepared, its subject line as the
    decision prints it, the overseer's reason when it was returned, and the steps the
    requester may take now."""

    agency_code = serializers.CharField(source="agency.code", read_only=True)
    subject = serializers.SerializerMethodField(
        help_text=_("The decision's subject line, exactly as the DOCX/PDF prints it.")
    )
    return_reason = serializers.CharField(
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_("Why the overseer last returned it for correction (none if never)."),
    )
    actions = serializers.SerializerMethodField(
        help_text=_("The steps you may take now (the announcement's workflow).")
    )
    kind = EnumChoiceField(AnnouncementKind, read_only=True)
    status = EnumChoiceField(AnnouncementStatus, read_only=True)
    standard_version = EnumChoiceField(StandardVersion, read_only=True)
    procedure_codes = serializers.ListField(child=serializers.CharField(), read_only=True)
    internal_activities = serializers.CharField(
        source="scope_snapshot.internal_activities", read_only=True, default=""
    )

    class Meta:
        model = Announcement
        fields = [
            "id",
            "agency",
            "agency_code",
            "kind",
            "reason",
            "number",
            "date",
            "signer_name",
            "signer_title",
            "standard_version",
            "procedure_codes",
            "internal_activities",
            "status",
            "signed_file_name",
            "sent_at",
            "received_on",
            "received_by",
            "is_published",
            "published_at",
            "imported",
            "created_at",
            "subject",
            "return_reason",
            "actions",
        ]
        read_only_fields = fields

    def get_subject(self, obj) -> str:
        return outputs.announcement_subject(obj)

    def get_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return WORKFLOW.available(request.user, obj) if request is not None else []


class AnnouncementEventSerializer(ModelSerializer):
    action = EnumChoiceField(AnnouncementAction, read_only=True)
    actor_name = serializers.CharField(source="actor", read_only=True, default="")

    class Meta:
        model = AnnouncementEvent
        fields = ["action", "actor", "actor_name", "comment", "created_at"]
        read_only_fields = fields


class AnnouncementDetailSerializer(AnnouncementSerializer):
    """One announcement with its history (every step, the returns with their reasons)."""

    history = AnnouncementEventSerializer(many=True, read_only=True, source="history_rows")

    class Meta(AnnouncementSerializer.Meta):
        fields = [*AnnouncementSerializer.Meta.fields, "history"]
        read_only_fields = fields


class AnnouncementFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(choices=visible_agencies, required=False)
    status = serializers.ChoiceField(
        choices=AnnouncementStatus.choices,
        required=False,
        allow_blank=True,
        help_text=_("Discarded drafts are listed only when asked for."),
    )
    kind = serializers.ChoiceField(
        choices=AnnouncementKind.choices, required=False, allow_blank=True
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=60,
        help_text=_("A number: 45 finds 45/QĐ-…; a full number finds that number."),
    )
    ordering = serializers.ChoiceField(
        choices=sorted(ANNOUNCEMENT_ORDERINGS), required=False, allow_blank=True
    )


class AnnouncementUpdateSerializer(serializers.Serializer):
    """A draft's signer, reason (re-announcement), or its scope taken again."""

    signer_name = serializers.CharField(max_length=200, required=False)
    signer_title = serializers.CharField(max_length=200, required=False)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)
    refresh_scope = serializers.BooleanField(required=False, default=False)


class AnnouncementDiscardSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class AnnouncementCorrectSerializer(serializers.Serializer):
    """What was recorded of the signed decision; what is left out stays as it was."""

    number = serializers.CharField(max_length=60, required=False)
    date = serializers.DateField(required=False)
    signer_name = serializers.CharField(max_length=200, required=False)
    signer_title = serializers.CharField(max_length=200, required=False)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class AnnouncementReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000, help_text=_("What the agency must correct (it is notified).")
    )


class AnnouncementCreateSerializer(serializers.Serializer):
    """A draft with the scope as it stands; a re-announcement when the agency announced
    before (then a reason is needed: left empty, the reasons found are used)."""

    agency = ScopedPrimaryKeyRelatedField(
        choices=kept_agencies, required=False, help_text=AGENCY_HELP
    )
    signer_name = serializers.CharField(
        max_length=200, required=False, help_text=_("Default: the agency's head.")
    )
    signer_title = serializers.CharField(
        max_length=200, required=False, help_text=_("Default: the title of the agency's head.")
    )
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


NUMBER_HELP = _(
    "The number only (45): the agency's symbol is filled in (45/QĐ-STP); or the number in full."
)


class AnnouncementSignSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60, help_text=NUMBER_HELP)
    date = serializers.DateField()
    signed_scan = serializers.FileField(
        required=False,
        help_text=_("The signed scan (PDF, PNG or JPEG; multipart only), checked by content."),
    )


class AnnouncementScanSerializer(serializers.Serializer):
    signed_scan = serializers.FileField(
        help_text=_("The signed scan (PDF, PNG or JPEG), checked by content.")
    )


class AnnouncementReceiveSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text=_("Default: today."))


class AnnouncementPublishSerializer(serializers.Serializer):
    published = serializers.BooleanField(default=True)


# --- the committee -------------------------------------------------------------------------------


class CommitteeMemberSerializer(ModelSerializer):
    committee_role = EnumChoiceField(CommitteeRole, read_only=True)

    class Meta:
        model = CommitteeMember
        fields = ["id", "user", "name", "position", "committee_role"]
        read_only_fields = fields


class CommitteeDecisionSerializer(ModelSerializer):
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    members = CommitteeMemberSerializer(many=True, read_only=True)

    class Meta:
        model = CommitteeDecision
        fields = [
            "id",
            "agency",
            "agency_code",
            "number",
            "date",
            "file_name",
            "notes",
            "member_count",
            "members",
            "created_at",
        ]
        read_only_fields = fields


class CommitteeMemberInputSerializer(serializers.Serializer):
    user = TargetScopedPrimaryKeyRelatedField(
        choices=committee_people,
        required=False,
        allow_null=True,
        help_text=_("A person who works in the agency; or leave it out and give a name."),
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    committee_role = EnumChoiceField(CommitteeRole)

    def validate(self, attrs):
        if not attrs.get("user") and not (attrs.get("name") or "").strip():
            raise serializers.ValidationError(_("Give a person of the agency or a name."))
        return attrs


class CommitteeDecisionCreateSerializer(serializers.Serializer):
    """A new decision: its members replace the current ones (the history keeps every
    decision)."""

    agency = serializers.IntegerField(required=False, help_text=AGENCY_QUERY_HELP)
    number = serializers.CharField(max_length=60, help_text=NUMBER_HELP)
    date = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    members = CommitteeMemberInputSerializer(many=True, allow_empty=False)


# --- the record ----------------------------------------------------------------------------------


class AgencyQuerySerializer(serializers.Serializer):
    agency = serializers.IntegerField(required=False, help_text=AGENCY_QUERY_HELP)


class QmsRecordSerializer(ModelSerializer):
    standard_version = EnumChoiceField(StandardVersion, read_only=True)
    status = EnumChoiceField(QmsStatus, read_only=True)
    quality_policy_code = serializers.CharField(
        source="quality_policy.code", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = QualitySystem
        fields = [
            "standard_version",
            "status",
            "internal_activities",
            "exclusions",
            "quality_policy",
            "quality_policy_code",
            "consultant",
            "consultant_cost",
            "reannouncement_reason",
            "version",
        ]
        read_only_fields = fields


class CommitteeDecisionBriefSerializer(ModelSerializer):
    class Meta:
        model = CommitteeDecision
        fields = ["id", "number", "date", "file_name"]
        read_only_fields = fields


class CommitteeStateSerializer(serializers.Serializer):
    """The current committee (the latest decision) and why it needs updating."""

    decision = CommitteeDecisionBriefSerializer(allow_null=True)
    members = CommitteeMemberSerializer(many=True)
    needs_update = serializers.BooleanField()
    flags = serializers.ListField(child=serializers.CharField())


class QmsSerializer(serializers.Serializer):
    """The QMS of one agency: its record, its scope, why a re-announcement is due (empty when
    nothing is), the latest signed announcement, the draft in preparation, the committee."""

    agency = AgencyBriefSerializer()
    record = QmsRecordSerializer()
    handled_procedures = serializers.IntegerField()
    reannouncement_reasons = serializers.ListField(child=serializers.CharField())
    latest_announcement = AnnouncementSerializer(allow_null=True)
    draft_announcement = AnnouncementSerializer(allow_null=True)
    committee = CommitteeStateSerializer()


class QmsUpdateSerializer(serializers.Serializer):
    standard_version = EnumChoiceField(StandardVersion, required=False)
    status = EnumChoiceField(QmsStatus, required=False)
    internal_activities = serializers.CharField(required=False, allow_blank=True)
    exclusions = serializers.CharField(required=False, allow_blank=True)
    quality_policy = TargetScopedPrimaryKeyRelatedField(
        choices=quality_policies,
        required=False,
        allow_null=True,
        help_text=_("A quality policy document of the agency."),
    )
    consultant = serializers.CharField(max_length=300, required=False, allow_blank=True)
    consultant_cost = serializers.DecimalField(
        max_digits=14, decimal_places=0, min_value=0, required=False, allow_null=True
    )
    version = serializers.IntegerField(
        required=False,
        help_text=_("The record's version as read: a change made meanwhile gives 409."),
    )
