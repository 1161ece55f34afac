from __future__ import annotations

import factory

from eiso.accounts.models import Membership, User
from eiso.core.roles import Role
from eiso.core.text import search_text_of
from eiso.organizations.tests.factories import AgencyFactory

PASSWORD = "Mat-khau-2026!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gov.vn")
    search_text = factory.LazyAttribute(lambda o: search_text_of(o.username, o.full_name, o.email))
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.STAFF
