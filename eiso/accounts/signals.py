"""Sign-in bookkeeping (cross-cutting, so signals): each session is recorded for the list of
a person's sessions, its activity clock starts, and whether the person has an authenticator
is noted for the second-factor step."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from eiso.accounts.middleware import LAST_ACTIVITY_KEY, SECOND_FACTOR_KEY
from eiso.accounts.services.sessions import session_forget, session_record
from eiso.accounts.services.two_factor import has_confirmed_device
from eiso.core.middleware import client_ip


@receiver(user_logged_in, dispatch_uid="eiso.accounts.session_signed_in")
def session_signed_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[LAST_ACTIVITY_KEY] = time.time()
    request.session[SECOND_FACTOR_KEY] = has_confirmed_device(user)
    if request.session.session_key is None:
        request.session.save()
    session_record(
        user=user,
        session_key=request.session.session_key,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        ip_address=client_ip(request),
    )


@receiver(user_logged_out, dispatch_uid="eiso.accounts.session_signed_out")
def session_signed_out(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_forget(session_key=request.session.session_key)
