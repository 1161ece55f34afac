"""Guard rails from STYLE.md, checked over the whole code base."""

import ast
import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
DIRECT_QUERY = re.compile(r"\b[A-Z]\w*\.objects\.|get_object_or_404\(\s*[A-Z]")

# Concrete models that are not owned by one agency, with the reason.
GLOBAL_MODELS = {
    "accounts.user": "people can belong to several agencies; scoped through memberships",
    "organizations.agency": "the tree itself; scoped by its own path",
    "organizations.agencykind": "a catalogue shared by the whole deployment",
    "documents.documentcontrolpolicy": "legal parameters of the deployment (rules as data)",
    "documents.documenttemplate": "the framework model shared by every agency",
    "procedures.administrativeprocedure": "the province's TTHC catalogue, shared by all",
    "objectives.objectivetemplate": "the framework model's typical objectives per agency kind",
    "risks.riskscale": "the risk rating scales and acceptance threshold (rules as data)",
    "feedback.answerrule": "by when complaints are answered, per channel (rules as data)",
    "audits.isoclause": "the clauses of TCVN ISO 9001:2015, the same for every agency",
    "audits.auditquestion": "the internal-audit question bank shared by every agency (data)",
    "cycle.ruleset": "the annual obligations as versioned data (the deployment's or a province's)",
    "cycle.rule": "an obligation of a rule set (data with its legal basis)",
    "reports.transitionrule": "the deadline of a change of the standard's version (data)",
    "dashboard.scoreformula": "the weights of the overseer's composite score (data)",
    "inspections.checklistversion": "the legal inspection content, versioned (rules as data)",
    "inspections.checklistquestion": "an item of the inspection content (data, legal basis)",
    "accounts.apitoken": "a person's own API credential (hashed), not agency data",
    "accounts.recoverycode": "a person's own second-factor credential (hashed)",
    "accounts.usersession": "a person's own signed-in sessions",
    "otp_totp.totpdevice": "django-otp: a person's authenticator app",
    "axes.accessattempt": "django-axes lockout bookkeeping",
    "axes.accessfailurelog": "django-axes lockout bookkeeping",
    "axes.accesslog": "django-axes lockout bookkeeping",
    "axes.accessattemptexpiration": "django-axes lockout bookkeeping",
    "auth.permission": "Django's own",
    "auth.group": "Django's own",
    "contenttypes.contenttype": "Django's own",
    "sessions.session": "Django's own",
}


def defines_a_view(source: str) -> bool:
    """Whether a module defines a view: a class whose base is named ``…View`` or ``…ViewSet``
    (``TemplateView``, ``ScopedListView``, ``generic.ServiceFormView``, ``ApiViewSet``…)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
                if name.endswith(("View", "ViewSet")):
                    return True
    return False


def view_and_api_modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        if (
            path.name in {"views.py", "api.py"}
            or path.name.startswith("views_")
            or path.stem.endswith("_views")
            or "views" in relative.parts
            or "api" in relative.parts
            or defines_a_view(path.read_text())
        ):
            yield path


def test_views_and_api_modules_never_query_models_directly():
    offenders = []
    modules = list(view_and_api_modules())
    assert len(modules) >= 4, "the scan found no view modules: the guard would prove nothing"
    for path in modules:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if DIRECT_QUERY.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "use a selector (visible_to) instead:\n" + "\n".join(offenders)


def test_every_model_is_agency_owned_or_on_the_global_allowlist():
    unowned = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in GLOBAL_MODELS:
            continue
        field_names = {f.name for f in model._meta.get_fields()}
        if "agency" not in field_names or not hasattr(model.objects, "visible_to"):
            unowned.append(label)
    assert unowned == [], f"give these an agency FK and visible_to, or allowlist them: {unowned}"


def test_the_guard_scans_every_kind_of_view_module():
    scanned = {str(p.relative_to(ROOT)) for p in view_and_api_modules()}
    # views_*.py, a package of views, the API, and a module that only defines a View subclass
    assert {"core/views_inbox.py", "oversight/views.py", "api/views/oversight.py"} <= scanned
    assert "core/generic.py" in scanned  # ServiceFormView(LoginRequiredMixin, TemplateView)
    assert defines_a_view("class Page(LoginRequiredMixin, generic.TemplateView):\n    pass")
    assert defines_a_view("class Rows(ApiViewSet):\n    pass")
    assert not defines_a_view("class Report:\n    view = None")


def test_the_guard_catches_a_direct_query():
    assert DIRECT_QUERY.search("qs = Agency.objects.filter(code='A')")
    assert DIRECT_QUERY.search("obj = get_object_or_404(Agency, pk=1)")
    assert not DIRECT_QUERY.search("qs = selectors.agency_list(user=user)")
