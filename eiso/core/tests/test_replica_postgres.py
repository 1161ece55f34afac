"""The read replica against a second PostgreSQL database (``make test-replica``, a CI step).

``DATABASE_REPLICA_URL`` names a second database and ``DATABASE_REPLICA_TEST_SEPARATE=1`` keeps
its test database apart from the primary's (no ``MIRROR``). Streaming replication is not set up
on a test machine: the test copies the primary into the replica with ``pg_dump | psql`` — what a
replica holds — then changes a row on the replica only, so each page shows which database it
read. The overseer's registry reads the replica; an agency's own page, every write and every
read inside a transaction stay on the primary."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.urls import reverse

from eiso.core.routers import REPLICA, read_alias, using_replica
from eiso.organizations.models import Agency

pytestmark = pytest.mark.replica

SEPARATE = os.environ.get("DATABASE_REPLICA_TEST_SEPARATE") == "1"
MARK = " (bản sao)"


def _libpq_env(alias: str) -> tuple[list[str], dict[str, str]]:
    conf = connections[alias].settings_dict
    args = ["-h", conf["HOST"] or "127.0.0.1", "-p", str(conf["PORT"] or 5432)]
    args += ["-U", conf["USER"] or "postgres"]
    env = dict(os.environ)
    if conf["PASSWORD"]:
        env["PGPASSWORD"] = conf["PASSWORD"]
    return args, env


def _copy_primary_to_replica() -> None:
    """What streaming replication would have done: the replica holds the primary's rows."""
    for conn in connections.all():
        conn.close()
    source_args, env = _libpq_env("default")
    target_args, _ = _libpq_env(REPLICA)
    dump = subprocess.run(
        ["pg_dump", *source_args, "--no-owner", "--clean", "--if-exists",
         connections["default"].settings_dict["NAME"]],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    subprocess.run(
        ["psql", *target_args, "-q", "-v", "ON_ERROR_STOP=1",
         "-d", connections[REPLICA].settings_dict["NAME"]],
        input=dump.stdout, check=True, capture_output=True, env=env,
    )  # fmt: skip


@pytest.fixture
def replica_world(transactional_db):
    if not SEPARATE:
        pytest.skip("make test-replica: a second PostgreSQL database as the replica")
    # Asked for and not there is a failure, not a skip: the CI step must test something.
    assert REPLICA in settings.DATABASES, "DATABASE_REPLICA_URL is not set"
    assert connections[REPLICA].vendor == "postgresql", "the replica must be PostgreSQL"
    assert not settings.DATABASES[REPLICA].get("TEST", {}).get("MIRROR")
    assert shutil.which("pg_dump") and shutil.which("psql"), "postgresql-client is needed"
    assert (
        connections["default"].settings_dict["NAME"] != connections[REPLICA].settings_dict["NAME"]
    )
    from eiso.core.testing import build_world, load_reference_data

    load_reference_data()
    world = build_world()
    _copy_primary_to_replica()
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "UPDATE organizations_agency SET name = name || %s WHERE id = %s", [MARK, world.A.pk]
        )
    return world


def _name_on(alias: str, pk: int) -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT name FROM organizations_agency WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_the_overseers_registry_reads_the_replica_and_the_agencys_page_the_primary(
    client, replica_world
):
    world = replica_world
    on_replica = f"{world.A.name}{MARK}"
    assert _name_on(REPLICA, world.A.pk) == on_replica
    assert _name_on("default", world.A.pk) == world.A.name

    client.force_login(world.dung)
    registry = client.get(reverse("oversight:registry"))
    assert registry.status_code == 200
    assert on_replica in registry.content.decode()

    detail = client.get(reverse("organizations:detail", args=[world.A.pk]))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert world.A.name in body and MARK not in body


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_writes_and_reads_inside_a_transaction_stay_on_the_primary(replica_world):
    world = replica_world
    with using_replica():
        assert read_alias() == REPLICA
        assert Agency.objects.get(pk=world.A.pk).name.endswith(MARK)
        Agency.objects.filter(pk=world.B.pk).update(short_name="Sở Y tế (đổi)")
        with transaction.atomic():
            assert read_alias() == "default"
            assert Agency.objects.get(pk=world.A.pk).name == world.A.name
    assert _name_on("default", world.B.pk) == world.B.name
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT short_name FROM organizations_agency WHERE id = %s", [world.B.pk])
        assert cursor.fetchone()[0] == "Sở Y tế"
    assert Agency.objects.get(pk=world.B.pk).short_name == "Sở Y tế (đổi)"
