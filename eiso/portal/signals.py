"""What moves the public pages' cache version on (``cache.bump``): a change to anything they
show. Cross-cutting (a cache), so a signal: the domain apps know nothing of the portal."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from eiso.portal import cache

# (app label, model) whose rows the public pages read.
WATCHED = (
    ("organizations", "Agency"),
    ("qms", "Announcement"),
    ("qms", "QualitySystem"),
    ("documents", "Document"),
    ("documents", "Revision"),
    ("documents", "RevisionFile"),
    ("procedures", "AdministrativeProcedure"),
    ("procedures", "HandledProcedure"),
    ("procedures", "IsoProcedure"),
    ("procedures", "ProcedureStep"),
    ("portal", "Publication"),
    ("feedback", "Desk"),
)
# Ratings change the public statistics too, but a rating a second would keep the cache empty:
# those figures may be up to cache.TIMEOUT old.


def _changed(**kwargs) -> None:
    # Now (a page rendered before the commit would show the old data: dropped again at the
    # commit) and once committed.
    cache.bump()
    transaction.on_commit(cache.bump)


def connect() -> None:
    for app_label, model_name in WATCHED:
        if not apps.is_installed(f"eiso.{app_label}"):
            continue
        model = apps.get_model(app_label, model_name)
        uid = f"portal-cache-{app_label}-{model_name}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
    document = apps.get_model("documents", "Document")
    m2m_changed.connect(
        _changed, sender=document.forms.through, dispatch_uid="portal-cache-forms", weak=False
    )
