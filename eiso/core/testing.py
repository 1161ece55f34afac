"""Test helpers shared by every app: the personas' world and the one isolation contract.

Personas (STYLE.md): ``an`` secretary of agency A, ``binh`` staff of A, ``chi`` secretary of
agency B, ``dung`` overseer of the province P (A and B are in P), ``em`` overseer of another
province Q (agency C), ``quan`` system administrator, ``hai`` head of A, ``cuong`` secretary
of C."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from dataclasses import dataclass
from pathlib import Path

import django
import pytest

from eiso.core.roles import Role


@dataclass
class World:
    P: object
    A: object
    B: object
    Q: object
    C: object
    an: object
    binh: object
    chi: object
    dung: object
    em: object
    quan: object
    cuong: object  # secretary of C (province Q)
    hai: object  # head of A

    def agency(self, name: str):
        return getattr(self, name)

    def persona(self, name: str):
        return getattr(self, name)


REFERENCE_DATA_MIGRATIONS = (
    "eiso.organizations.migrations.0002_agency_kinds",
    "eiso.documents.migrations.0002_policy_and_templates",
    "eiso.objectives.migrations.0002_objective_templates",
    "eiso.risks.migrations.0002_default_scale",
    "eiso.audits.migrations.0002_clauses_and_question_bank",
    "eiso.feedback.migrations.0002_answer_rules",
    "eiso.inspections.migrations.0002_default_content",
    "eiso.cycle.migrations.0002_default_rules",
    "eiso.reports.migrations.0002_transition_rule",
    "eiso.dashboard.migrations.0002_default_formula",
)


_IMPORTED = re.compile(r"^\s*from (eiso[\w.]*) import", re.MULTILINE)


def migrations_digest() -> str:
    """A digest of every migration (and of the project modules they import) and of Django's
    version: the name of a kept migrated test database (conftest.py)."""
    from django.apps import apps

    digest = hashlib.sha256(django.get_version().encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            source = path.read_bytes()
            digest.update(f"{config.label}/{path.name}".encode() + source)
            for module in sorted(set(_IMPORTED.findall(source.decode()))):
                spec = importlib.util.find_spec(module)
                if spec and spec.origin:
                    digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()[:20]


# The migrated PostgreSQL database kept as a template (conftest.py), by a digest of the migrations.
MIGRATED_TEMPLATE_PREFIX = "eiso_migrated_"


def postgres_admin(settings_dict):
    """An autocommit psycopg connection to the server's ``postgres`` database (to create, copy
    and drop databases), from a Django database's settings."""
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        autocommit=True,
        host=settings_dict.get("HOST") or "127.0.0.1",
        port=settings_dict.get("PORT") or 5432,
        user=settings_dict.get("USER") or "postgres",
        password=settings_dict.get("PASSWORD") or None,
    )


def migrated_template(settings_dict) -> str | None:
    """The kept migrated PostgreSQL database of these migrations, if a test run made it."""
    name = f"{MIGRATED_TEMPLATE_PREFIX}{migrations_digest()}"
    with postgres_admin(settings_dict) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return name if found else None


def keeps_test_caches(config) -> bool:
    """Whether this run may keep its SQLite test database and demo build between runs
    (data/test-cache: conftest.py and eiso/demo/tests/kept.py): not with ``--create-db`` nor
    ``EISO_TEST_DB_CACHE=0``."""
    return not config.getoption("create_db", False) and os.environ.get("EISO_TEST_DB_CACHE") != "0"


def load_reference_data() -> None:
    """Load the rules-as-data rows the migrations seed (agency kinds, policies, templates):
    transactional tests flush the database after each test, these rows included."""
    import importlib

    from django.apps import apps

    for module in REFERENCE_DATA_MIGRATIONS:
        importlib.import_module(module).load(apps, None)


def build_world() -> World:
    """Two provinces (P with A and B, Q with C) and eight people. About a thousand tests
    build it, so it is written set-based: eight statements instead of the factories' 31 (the same
    rows as ``AgencyFactory``, ``UserFactory`` and ``MembershipFactory`` make)."""
    from django.contrib.auth.hashers import make_password

    from eiso.accounts.models import Membership, User
    from eiso.accounts.tests.factories import PASSWORD
    from eiso.accounts.usernames import username_skeleton
    from eiso.core.bulk import saved_in_bulk
    from eiso.core.text import ranked_search_text, search_text_of
    from eiso.organizations.models import PATH_STEP, Agency, AgencyKind

    kinds = AgencyKind.objects.in_bulk(["ubnd_tinh", "so_nganh"], field_name="code")

    def agency(code: str, name: str, kind: str, parent=None, short_name: str = "") -> Agency:
        return Agency(
            code=code,
            name=name,
            short_name=short_name,
            kind=kinds[kind],
            tier=kinds[kind].default_tier,
            must_apply=kinds[kind].must_apply,
            parent=parent,
            depth=parent.depth + 1 if parent else 0,
            path=f"tmp-{code}",
            search_text=ranked_search_text(code, [name, short_name]),
        )

    # In this order (ids as the factories gave them): P, A, B, Q, C.
    P = agency("P", "Ủy ban nhân dân tỉnh Phú An", "ubnd_tinh")
    Agency.objects.bulk_create([P])
    A = agency("A", "Sở Tư pháp tỉnh Phú An", "so_nganh", P, "Sở Tư pháp")
    B = agency("B", "Sở Y tế tỉnh Phú An", "so_nganh", P, "Sở Y tế")
    Agency.objects.bulk_create([A, B])
    Q = agency("Q", "Ủy ban nhân dân tỉnh Quảng Bình Tây", "ubnd_tinh")
    Agency.objects.bulk_create([Q])
    C = agency("C", "Sở Nội vụ tỉnh Quảng Bình Tây", "so_nganh", Q)
    Agency.objects.bulk_create([C])
    agencies = [P, A, B, Q, C]
    for each in agencies:
        parent_path = each.parent.path if each.parent else ""
        each.path = f"{parent_path}{each.pk:0{PATH_STEP}d}/"
    Agency.objects.bulk_update(agencies, ["path"])
    saved_in_bulk(Agency, agencies)

    password = make_password(PASSWORD)
    people = {
        "an": ("Trần Thị An", A, Role.ISO_SECRETARY),
        "binh": ("Lê Văn Bình", A, Role.STAFF),
        "chi": ("Phạm Thị Chi", B, Role.ISO_SECRETARY),
        "dung": ("Hoàng Văn Dũng", P, Role.OVERSEER),
        "em": ("Đỗ Thị Em", Q, Role.OVERSEER),
        "quan": ("Vũ Minh Quân", P, Role.ADMIN),
        "cuong": ("Ngô Văn Cường", C, Role.ISO_SECRETARY),
        "hai": ("Đặng Văn Hải", A, Role.HEAD),
    }
    users = {}
    for username, (full_name, _agency, _role) in people.items():
        email = f"{username}@example.gov.vn"
        users[username] = User(
            username=username,
            full_name=full_name,
            email=email,
            search_text=search_text_of(username, full_name, email),
            password=password,
            username_skeleton=username_skeleton(username),
        )
    User.objects.bulk_create(users.values())
    Membership.objects.bulk_create(
        Membership(user=users[username], agency=where, role=role)
        for username, (_name, where, role) in people.items()
    )
    return World(P=P, A=A, B=B, Q=Q, C=C, **users)


class IsolationContract:
    """Include in every view and API test class of an agency-owned resource.

    A class sets ``make(world, agency)`` (create one row of the resource in ``agency``),
    ``list_url()``, ``marker(obj)`` (text or id that shows the row in a list response),
    ``read_urls(obj)`` (pages/endpoints that show one row), ``change_requests(obj)``
    (``(method, url, data)`` that would change it) and optionally
    ``create_request(world, agency)`` (a create aimed at ``agency``) with ``count()``.
    Persona attributes say who plays which part; defaults fit agency-owned rows."""

    home = "A"  # where the row lives
    foreign = "B"  # a row here must not show in the viewer's list
    viewer = "an"  # sees and changes rows of ``home``
    outsider = "chi"  # gets 404 on rows of ``home``
    overseer = "dung"  # reads ``home`` rows, may not change them
    outside_overseer_agency = "C"  # a row here is outside ``overseer``'s subtree
    overseer_may_change = False
    api = False

    # --- hooks ---------------------------------------------------------------------------
    def make(self, world, agency):
        raise NotImplementedError

    def list_url(self) -> str:
        raise NotImplementedError

    def marker(self, obj) -> str:
        return str(obj)

    def read_urls(self, obj) -> list[str]:
        return []

    def change_requests(self, obj) -> list[tuple[str, str, dict]]:
        return []

    def create_request(self, world, agency):
        return None

    def count(self) -> int:
        raise NotImplementedError

    # --- helpers ---------------------------------------------------------------------------
    def _client(self, client, world, persona: str):
        client.force_login(world.persona(persona))
        return client

    def _send(self, client, method: str, url: str, data: dict | None):
        if self.api:
            return getattr(client, method)(url, data or {}, content_type="application/json")
        return getattr(client, method)(url, data or {})

    # --- the contract ----------------------------------------------------------------------
    def test_list_shows_own_rows_and_hides_foreign_rows(self, client, world):
        mine = self.make(world, world.agency(self.home))
        theirs = self.make(world, world.agency(self.foreign))
        response = self._client(client, world, self.viewer).get(self.list_url())
        assert response.status_code == 200
        body = response.content.decode()
        assert self.marker(mine) in body
        assert self.marker(theirs) not in body

    def test_outsider_gets_404_on_every_read_and_change(self, client, world):
        obj = self.make(world, world.agency(self.home))
        c = self._client(client, world, self.outsider)
        urls = self.read_urls(obj)
        for url in urls:
            assert c.get(url).status_code == 404, url
        for method, url, data in self.change_requests(obj):
            assert self._send(c, method, url, data).status_code == 404, (method, url)
        assert urls or self.change_requests(obj), "the contract needs at least one URL"

    def test_overseer_reads_the_subtree_and_nothing_outside(self, client, world):
        inside = self.make(world, world.agency(self.home))
        outside = self.make(world, world.agency(self.outside_overseer_agency))
        c = self._client(client, world, self.overseer)
        for url in self.read_urls(inside):
            assert c.get(url).status_code == 200, url
        for url in self.read_urls(outside):
            assert c.get(url).status_code == 404, url

    def test_overseer_cannot_change(self, client, world):
        if self.overseer_may_change:
            pytest.skip("overseers manage this resource in their subtree")
        obj = self.make(world, world.agency(self.home))
        c = self._client(client, world, self.overseer)
        for method, url, data in self.change_requests(obj):
            status = self._send(c, method, url, data).status_code
            assert status in (403, 404), (method, url, status)

    def test_create_aimed_at_a_foreign_agency_is_refused(self, client, world):
        request = self.create_request(world, world.agency(self.foreign))
        if request is None:
            pytest.skip("this resource is not created by agency users")
        before = self.count()
        method, url, data = request
        response = self._send(self._client(client, world, self.viewer), method, url, data)
        assert response.status_code in (400, 403, 404) or (
            response.status_code == 200 and not self.api
        ), response.status_code
        assert self.count() == before


def import_statements(run) -> int:
    """How many SQL statements ``run()`` — an import answering with its report — sends, in a
    transaction rolled back afterwards (so a second call starts from the same data). The
    import must succeed: the count of a refused import says nothing."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            report = run()
        assert report.ok, report.errors
        transaction.set_rollback(True)
    return len(captured.captured_queries)
