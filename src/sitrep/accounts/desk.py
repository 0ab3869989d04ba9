"""The desk's screens for owners: how staff sign in, who has which factors, and the audit log
of what staff did."""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sitrep.accounts.forms import SecurityPolicyForm
from sitrep.accounts.models import SecurityPolicy, User
from sitrep.accounts.permissions import owner_required
from sitrep.audit.models import Entry
from sitrep.core.pagination import paginate


@owner_required
@require_http_methods(["GET", "POST"])
def security(request):
    form = SecurityPolicyForm(request.POST or None, instance=SecurityPolicy.current())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Security settings saved.")
        return redirect("desk:security")
    staff = User.objects.filter(
        Q(is_editor=True) | Q(is_moderator=True) | Q(is_superuser=True), is_active=True
    ).order_by("username")
    factors: dict[int, set[str]] = {}
    for user_id, kind in Authenticator.objects.filter(user__in=staff).values_list(
        "user_id", "type"
    ):
        factors.setdefault(user_id, set()).add(kind)
    rows = [
        {
            "user": user,
            "totp": Authenticator.Type.TOTP in factors.get(user.pk, ()),
            "passkeys": Authenticator.Type.WEBAUTHN in factors.get(user.pk, ()),
            "recovery": Authenticator.Type.RECOVERY_CODES in factors.get(user.pk, ()),
        }
        for user in staff
    ]
    return render(request, "desk/security.html", {"form": form, "rows": rows})


AUDIT_KINDS = {
    "post": "Posts",
    "settings": "Settings",
    "account": "Roles",
    "two-factor": "Two factors",
    "site": "Imports and exports",
    "task": "Tasks",
}


@owner_required
def audit_log(request):
    """What staff did, newest first: the audit log (sitrep.audit), read-only."""
    kind = request.GET.get("kind", "")
    entries = Entry.objects.all()
    if kind in AUDIT_KINDS:
        entries = entries.filter(action__startswith=kind + ".")
    page = paginate(request, entries, 50)
    context = {"page": page, "kind": kind, "kinds": AUDIT_KINDS}
    return render(request, "desk/audit.html", context)
