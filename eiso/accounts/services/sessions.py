"""A person's signed-in sessions: recorded at sign-in, their last activity kept (at most once a
minute), listed on "My account", ended one by one or all at once ("sign out everywhere")."""

from __future__ import annotations

import datetime
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.accounts.models import User, UserSession
from eiso.accounts.selectors import idle_limit, max_session_age
from eiso.core.audit import audit_record
from eiso.core.errors import NotPermitted

ACTIVITY_PRECISION = datetime.timedelta(minutes=1)


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_record(*, user: User, session_key: str, user_agent: str, ip_address: str | None):
    """Remember a new signed-in session (called at sign-in); the person's sessions that have
    died meanwhile (idle, or past their age) are dropped."""
    now = timezone.now()
    stale = UserSession.objects.filter(user=user, created_at__lt=now - max_session_age())
    limit = idle_limit()
    if limit is not None:
        stale = stale | UserSession.objects.filter(user=user, last_activity__lt=now - limit)
    stale.delete()
    UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "user_agent": (user_agent or "")[:300],
            "ip_address": ip_address,
            "last_activity": now,
        },
    )


def session_touch(*, user: User, session_key: str, user_agent: str, ip_address: str | None):
    """Note activity on a session (the middleware calls it at most once a minute)."""
    updated = UserSession.objects.filter(session_key=session_key, user=user).update(
        last_activity=timezone.now(), ip_address=ip_address
    )
    if not updated:
        session_record(
            user=user, session_key=session_key, user_agent=user_agent, ip_address=ip_address
        )


def session_forget(*, session_key: str | None) -> None:
    """The session ended (sign-out, idle timeout)."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def sessions_end_all(*, user: User, actor=None) -> int:
    """End every session of ``user`` (the current one included); their API tokens stay.
    Returns how many sessions ended."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    store = _session_store()
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    if actor is not None:
        audit_record(
            actor=actor,
            action="user.sign_out_everywhere",
            obj=user,
            changes={"sessions": len(keys)},
        )
    return len(keys)


@transaction.atomic
def session_end(*, actor, session: UserSession) -> None:
    """End one of one's own sessions (a forgotten computer)."""
    if session.user_id != actor.pk:
        raise NotPermitted(_("You can end only your own sessions."))
    _session_store()(session_key=session.session_key).delete()
    UserSession.objects.filter(pk=session.pk).delete()
    audit_record(
        actor=actor,
        action="user.session_end",
        obj=actor,
        changes={"device": session.user_agent[:100], "address": session.ip_address},
    )
