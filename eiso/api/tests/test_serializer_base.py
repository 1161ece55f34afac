"""The API's model serializers build their fields once per class (eiso.api.serializers.fields.
ModelSerializer): every instance gets new field objects, the same as DRF builds afresh."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from rest_framework import serializers

import eiso.api.serializers as package
from eiso.api.serializers.fields import ModelSerializer


def _model_serializers() -> list[type]:
    found = set()
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, serializers.ModelSerializer)
                and value.__module__ == module.__name__
                and value is not ModelSerializer
            ):
                found.add(value)
    return sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__))


SERIALIZERS = _model_serializers()


def test_every_model_serializer_of_the_api_builds_its_fields_once():
    assert len(SERIALIZERS) > 50
    assert [cls for cls in SERIALIZERS if not issubclass(cls, ModelSerializer)] == []


@pytest.mark.parametrize("cls", SERIALIZERS, ids=lambda cls: cls.__qualname__)
def test_the_fields_are_those_drf_builds_and_new_for_each_instance(cls):
    afresh = serializers.ModelSerializer.get_fields(cls())
    first, second = cls().fields, cls().fields
    assert list(first) == list(second) == list(afresh)
    for name, field in first.items():
        assert repr(field) == repr(afresh[name]), name
        assert field is not second[name] and field.parent is not second[name].parent
        assert (field.read_only, field.required) == (afresh[name].read_only, afresh[name].required)
    assert "_built_fields" in cls.__dict__  # kept on the class itself, not a parent's


def test_a_subclass_does_not_take_its_parents_fields():
    from eiso.api.serializers.documents import DocumentDetailSerializer, DocumentSerializer

    assert set(DocumentSerializer().fields) < set(DocumentDetailSerializer().fields)
    assert DocumentSerializer._built_fields is not DocumentDetailSerializer._built_fields
