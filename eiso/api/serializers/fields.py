"""Shared serializer pieces: the model serializers' base, scoped foreign-key choices and the
error shape (for the schema)."""

from __future__ import annotations

import copy
from collections.abc import Callable

from django.db.models import QuerySet
from django.db.models.enums import Choices
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from rest_framework import serializers
from rest_framework.fields import empty


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ``ModelSerializer``, its fields built from the model once per class.

    DRF builds them on every instance (every request, and every nested serializer of it) by
    reading the model's fields, choices and constraints: 0.3-1.8 ms each. What it builds
    depends on the class alone (its ``Meta`` and declared fields; no serializer here changes
    ``get_fields``), so it is built once and each instance gets a deep copy of it, as DRF
    gives each instance a copy of the declared fields: new field objects, built from the same
    arguments (the base of every model serializer of the API; a test compares the copies
    with fields built afresh)."""

    def get_fields(self):
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._built_fields = built
        return copy.deepcopy(built)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key given by id, chosen only among the rows a selector returns for the
    requesting user. An id outside that set gets the same answer as an id that does not exist,
    so the field never reveals another agency's rows.

    ``choices`` is called with the user: ``lambda user: agency_choices(user=user, ...)``."""

    default_error_messages = {
        "does_not_exist": _("Unknown id {pk_value}, or outside what you may use."),
        "incorrect_type": _("Incorrect type. Expected an id, received {data_type}."),
    }

    def __init__(self, *, choices: Callable[[object], QuerySet], **kwargs):
        self.scoped_choices = choices
        kwargs.setdefault("pk_field", serializers.IntegerField())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        if request is None:
            raise RuntimeError("ScopedPrimaryKeyRelatedField needs the request in its context")
        return self.scoped_choices(request.user)


class OptionalBooleanField(serializers.BooleanField):
    """A boolean left out when absent, from form-encoded bodies too (DRF reads an absent
    checkbox as False, which would silently switch things off on a PUT)."""

    default_empty_html = empty


class EnumChoiceField(serializers.ChoiceField):
    """A choice among the values of a ``TextChoices`` class, named after that class in the
    OpenAPI schema (``RevisionStatusEnum``): several fields called ``status`` with different
    sets of values would otherwise get hash-suffixed names."""

    def __init__(self, enum: type[Choices], **kwargs):
        self.enum = enum
        super().__init__(choices=enum.choices, **kwargs)


class EnumChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumChoiceField

    def map_serializer_field(self, auto_schema, direction):
        enum = self.target.enum
        blank = getattr(self.target, "allow_blank", False)
        choices = [("", ""), *enum.choices] if blank else enum.choices
        schema = build_choice_field(serializers.ChoiceField(choices=choices))
        schema.pop("x-spec-enum-id", None)
        # "" allowed (e.g. a course that gives no certificate): a component of its own
        name = f"{enum.__name__}OrBlankEnum" if blank else f"{enum.__name__}Enum"
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("A stable, machine-readable code."))
    message = serializers.CharField(help_text=_("A sentence for people."))
    fields = serializers.DictField(
        child=serializers.JSONField(),
        help_text=_(
            "Messages per input field, when the error is about fields: a list of sentences, "
            "or for nested data (members, parts, rows) the same shape nested."
        ),
    )


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API."""

    error = ErrorDetailSerializer()


ERROR_RESPONSES = {
    400: ErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
}


class TargetScopedPrimaryKeyRelatedField(ScopedPrimaryKeyRelatedField):
    """A foreign key chosen among rows that belong with the object the request is aimed at
    (the agency of a new document, the document being changed, …), which the view gives the
    serializer as ``context["target"]``. ``choices`` is called with the user and that object:
    ``lambda user, agency: department_list(user=user, agency=agency)``."""

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        target = self.context.get("target")
        if request is None or target is None:
            raise RuntimeError("TargetScopedPrimaryKeyRelatedField needs the request and target")
        return self.scoped_choices(request.user, target)


class TimeOfDayExtension(OpenApiSerializerFieldExtension):
    """A time of day ("08:00:00", local time, no offset) as the API writes and reads it.
    OpenAPI's ``format: time`` is RFC 3339's full-time, which requires an offset
    ("08:00:00+07:00"): a client validating against it would refuse every answer."""

    target_class = serializers.TimeField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "string",
            "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$",
            "example": "08:00:00",
        }
