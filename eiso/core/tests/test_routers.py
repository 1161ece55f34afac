"""The read replica (eiso/core/routers.py): the overseer's reports read from ``replica`` when it
is configured, inside ``using_replica()`` only, never inside a transaction on the primary;
writes always go to the primary; without a replica nothing changes."""

from __future__ import annotations

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from eiso.core import routers
from eiso.core.routers import ReplicaRouter, read_alias, using_replica
from eiso.organizations.models import Agency


@pytest.fixture
def replica(monkeypatch):
    """A ``replica`` alias served by the test database's own connection (the rows a replica
    holds are the primary's; sharing the connection lets it see the test's rows)."""
    monkeypatch.setitem(connections.settings, "replica", connections.settings["default"])
    monkeypatch.setattr(connections._connections, "replica", connection, raising=False)
    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    reads: list[str] = []
    original = routers.read_alias

    def spy() -> str:
        alias = original()
        reads.append(alias)
        return alias

    monkeypatch.setattr(routers, "read_alias", spy)
    monkeypatch.setattr(ReplicaRouter, "db_for_read", _spying_db_for_read)
    return reads


def _spying_db_for_read(self, model, **hints):
    instance = hints.get("instance")
    if instance is not None and instance._state.db:
        return instance._state.db
    alias = routers.read_alias()
    return alias if alias != "default" else None


def test_without_a_replica_reads_stay_on_the_primary():
    assert "replica" not in connections.settings
    with using_replica():
        assert read_alias() == "default"
        assert Agency.objects.all().db == "default"


def test_the_router_is_installed(settings):
    assert "eiso.core.routers.ReplicaRouter" in settings.DATABASE_ROUTERS


@pytest.mark.django_db
def test_with_a_replica_only_the_marked_reads_go_to_it(replica, world):
    assert Agency.objects.all().db == "default"
    with using_replica():
        assert Agency.objects.all().db == "replica"
        assert Agency.objects.get(pk=world.A.pk).name == world.A.name  # the same rows
        with transaction.atomic():  # a transaction reads its own writes: the primary
            assert Agency.objects.all().db == "default"
    assert Agency.objects.all().db == "default"
    router = ReplicaRouter()
    with using_replica():
        assert router.db_for_write(Agency) == "default"
        agency = Agency.objects.get(pk=world.A.pk)
        assert agency._state.db == "replica"
    assert router.allow_migrate("replica", "organizations") is False
    assert router.allow_migrate("default", "organizations") is True


def test_the_marking_is_undone_after_an_error_and_works_as_a_decorator():
    @using_replica()
    def inside() -> bool:
        return routers._reading_from_replica.get()

    assert inside() is True and routers._reading_from_replica.get() is False
    with pytest.raises(ValueError), using_replica():
        raise ValueError
    assert routers._reading_from_replica.get() is False


@pytest.mark.django_db
def test_the_summary_and_the_registry_read_from_the_replica_and_show_the_same(
    client, world, replica
):
    client.force_login(world.dung)
    url = reverse("oversight:summary") + f"?root={world.P.pk}&date=31/12/2025"
    with pytest.MonkeyPatch.context() as off:
        off.setattr(routers, "replica_configured", lambda: False)
        on_primary = client.get(url).content
    replica.clear()
    on_replica = client.get(url).content
    assert "replica" in replica
    assert _without_tokens(on_replica) == _without_tokens(on_primary)
    replica.clear()
    assert client.get(reverse("oversight:registry") + f"?root={world.P.pk}").status_code == 200
    assert "replica" in replica


def _without_tokens(body: bytes) -> str:
    import re

    return re.sub(r'(csrfmiddlewaretoken" value="|nonce="|X-CSRFToken": ")[^"]+', "", body.decode())
