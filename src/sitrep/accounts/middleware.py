"""Staff reach the desk and the admin only with a second factor, when the site requires it."""

from django.contrib import messages
from django.shortcuts import redirect

from sitrep.accounts.models import SecurityPolicy
from sitrep.accounts.permissions import is_staff_member

GUARDED = ("/desk/", "/admin/")


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(GUARDED) and self._needs_second_factor(request.user):
            messages.info(
                request,
                "This site asks its staff to sign in with two factors. Add an authenticator "
                "app or a passkey, then go on to the desk.",
            )
            return redirect("mfa_index")
        return self.get_response(request)

    @staticmethod
    def _needs_second_factor(user) -> bool:
        if not is_staff_member(user):
            return False
        from allauth.mfa.utils import is_mfa_enabled

        return SecurityPolicy.current().staff_two_factors and not is_mfa_enabled(user)
