from __future__ import annotations

import uuid

import factory

from eiso.organizations.models import Agency, AgencyKind, Department
from eiso.organizations.services import _path_for


def kind(code: str) -> AgencyKind:
    return AgencyKind.objects.get(code=code)


class AgencyFactory(factory.django.DjangoModelFactory):
    """Builds agencies straight into the tree (no service, no audit noise)."""

    class Meta:
        model = Agency
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"DV-{n:04d}")
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm số {n}")
    short_name = ""
    kind = factory.LazyFunction(lambda: kind("so_nganh"))
    tier = factory.LazyAttribute(lambda o: o.kind.default_tier)
    must_apply = factory.LazyAttribute(lambda o: o.kind.must_apply)
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        parent = kwargs.get("parent")
        kwargs["path"] = f"tmp-{uuid.uuid4().hex}"
        kwargs["depth"] = parent.depth + 1 if parent else 0
        from eiso.core.text import ranked_search_text

        kwargs["search_text"] = ranked_search_text(
            kwargs.get("code"), [kwargs.get("name"), kwargs.get("short_name")]
        )
        agency = super()._create(model_class, *args, **kwargs)
        agency.path = _path_for(parent, agency.pk)
        agency.save(update_fields=["path"])
        return agency


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Phòng số {n}")
