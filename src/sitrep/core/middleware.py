"""Response headers every page gets."""

# No inline scripts or styles anywhere in sitrep, so the policy can be strict: scripts and
# styles only from this site, images also from https (clip authors' and imported images), no
# plugins, no framing, forms only to this site. JSON-LD blocks are data, which CSP leaves alone.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https: data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        # Browsers' old XSS filters could be used to blank out parts of a page; the policy
        # above is the protection, so the filter is turned off, as OWASP advises.
        response.headers.setdefault("X-XSS-Protection", "0")
        return response
