"""Set-based writes (``bulk_create``, ``QuerySet.update``) skip what ``save()`` does besides
the SQL: this module gives back the part the rest of the house relies on."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models, router
from django.db.models.signals import post_save


def saved_in_bulk(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Tell ``post_save``'s listeners, once, that rows of ``model`` were written in bulk (a
    bulk write sends no signal). The listeners are cross-cutting (the public pages' cache
    moves on whatever row changed); a listener that needs each row must not rely on this."""
    if not objects:
        return
    post_save.send(
        sender=model,
        instance=objects[-1],
        created=True,
        update_fields=None,
        raw=False,
        using=router.db_for_write(model),
    )
