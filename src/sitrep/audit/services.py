"""Recording staff actions. Views and services call `record`; the actor is whoever the
current request is signed in as (ActorMiddleware), or the command line."""

from __future__ import annotations

import difflib
from contextvars import ContextVar

from django.db.models.signals import post_save, pre_save

from sitrep.audit.models import Entry
from sitrep.core.text import printable

COMMAND_LINE = "command line"
_request: ContextVar = ContextVar("audit_request", default=None)


class ActorMiddleware:
    """Makes the signed-in user of this request the actor of what is recorded during it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def current_actor():
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


def record(action: str, *, target: str = "", target_url: str = "", changes=None, diff="",
           actor=None) -> Entry:  # fmt: skip
    actor = actor or current_actor()
    return Entry.objects.create(
        actor_id=actor.pk if actor else None,
        actor_name=actor.get_username() if actor else COMMAND_LINE,
        action=action,
        target=target[:300],
        target_url=target_url[:300],
        changes=_printable(changes or {}),
        diff=diff,
    )


def _printable(value):
    """Changes as stored: texts printable (core.text), as every text field here keeps them."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable(str(k)): _printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_printable(v) for v in value]
    return value


def text_diff(before: str, after: str, *, name: str = "text") -> str:
    """A unified diff of two texts, empty when they are the same."""
    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), f"{name} before", f"{name} after", lineterm=""
    )
    return "\n".join(lines)


def track_changes(model, fields: tuple[str, ...], action: str, *, target=str) -> None:
    """Record every save of `model` that changes one of `fields` (by any path: the desk, the
    admin, a command), with each field's value before and after."""
    uid = f"audit-{model._meta.label}"

    def remember(sender, instance, update_fields=None, **kwargs):
        if update_fields is not None and not set(update_fields) & set(fields):
            return  # a save of other fields (a sign-in's last_login): nothing to read first
        old = sender._default_manager.filter(pk=instance.pk).values(*fields).first()
        if old is None:  # a new row: what it changes is measured against the defaults
            blank = sender()
            old = {name: getattr(blank, name) for name in fields}
        instance._audit_before = old

    def compare(sender, instance, created, **kwargs):
        if "_audit_before" not in instance.__dict__:
            return
        before = instance.__dict__.pop("_audit_before")
        changes = {
            name: [before.get(name), getattr(instance, name)]
            for name in fields
            if before.get(name) != getattr(instance, name)
        }
        if changes:
            record(action, target=target(instance), changes=changes)

    pre_save.connect(remember, sender=model, weak=False, dispatch_uid=uid + "-before")
    post_save.connect(compare, sender=model, weak=False, dispatch_uid=uid + "-after")
