import pytest

from sitrep.core.urlnorm import BadURL, domain_of, normalize_url


def test_tracking_parameters_and_fragment_are_removed():
    url = "HTTPS://WWW.Example.com/a/b?utm_source=feed&id=3&fbclid=zz&gclid=1#comments"
    assert normalize_url(url) == "https://www.example.com/a/b?id=3"


def test_equal_articles_normalize_equal():
    assert normalize_url("https://example.com/x?b=2&a=1") == normalize_url(
        "https://example.com/x?a=1&b=2&utm_medium=social"
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.example/a", "example.com/a", ""])
def test_only_full_web_addresses_are_accepted(url):
    with pytest.raises(BadURL):
        normalize_url(url)


def test_domain_drops_www():
    assert domain_of("https://www.harborledger.example/x") == "harborledger.example"
