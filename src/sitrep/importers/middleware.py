from django.http import HttpResponsePermanentRedirect

from sitrep.importers.models import Redirect


class OldAddressMiddleware:
    """Any other address the old platform had (WordPress's /?p=123, a page path): when the site
    has nothing there, look it up among the imported redirects before answering 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.GET.get("p", "").isdigit():
            return self._redirect(f"/?p={request.GET['p']}") or self.get_response(request)
        response = self.get_response(request)
        if response.status_code == 404:
            return self._redirect(request.path) or response
        return response

    @staticmethod
    def _redirect(old_path):
        found = Redirect.objects.select_related("post").filter(old_path=old_path).first()
        if found and found.post.is_live():
            return HttpResponsePermanentRedirect(found.post.get_absolute_url())
        return None
