"""Normalising email addresses, phone numbers, profile URLs and handles."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rekindle.identity.identifiers import (
    Identity,
    clean_email,
    format_phone,
    normalise_email,
    normalise_handle,
    normalise_identities,
    normalise_phone,
    normalise_url,
)
from rekindle.identity.records import RawIdentity

# -- email ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("alice@example.com", "alice@example.com"),
        ("  Alice@Example.COM ", "alice@example.com"),
        ("mailto:Alice@Example.com", "alice@example.com"),
        ("MAILTO:alice@example.com?subject=Hi", "alice@example.com"),
        ('"Doe, Jane" <Jane.Doe@Example.com>', "jane.doe@example.com"),
        ("Jane Doe <jane@example.com>", "jane@example.com"),
        ("jane@example.com (Jane Doe)", "jane@example.com"),
        ("jane+news@example.com", "jane+news@example.com"),
        ("jane@bücher.de", "jane@xn--bcher-kva.de"),
    ],
)
def test_clean_email_accepts_the_usual_forms(text: str, clean: str) -> None:
    assert clean_email(text) == clean


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not an address",
        "jane@",
        "@example.com",
        "jane@localhost",
        "jane@@example.com",
        "ja ne@example.com",
        ".jane@example.com",
        "urn:li:member:123456",
        "urn:li:person:ABC@x.com",
        "jane@example.c",
    ],
)
def test_clean_email_rejects_what_is_no_address(text: str) -> None:
    assert clean_email(text) is None
    assert normalise_email(text) is None


def test_consecutive_dots_are_kept_as_written() -> None:
    # Exchange wrote addresses like k..allen@enron.com; they must still match themselves
    assert clean_email("K..Allen@Enron.com") == "k..allen@enron.com"


def test_gmail_match_key_ignores_dots_tags_and_googlemail() -> None:
    variants = [
        "Jane.Doe@gmail.com",
        "janedoe@gmail.com",
        "j.a.n.e.d.o.e@GMAIL.com",
        "jane.doe+newsletters@gmail.com",
        "Jane.Doe@googlemail.com",
    ]
    assert {normalise_email(v) for v in variants} == {"janedoe@gmail.com"}
    # the display form keeps what the person wrote (lower-cased)
    assert clean_email("Jane.Doe@gmail.com") == "jane.doe@gmail.com"


def test_other_domains_keep_dots_and_tags() -> None:
    assert normalise_email("jane.doe@example.com") != normalise_email("janedoe@example.com")
    assert normalise_email("jane+x@example.com") == "jane+x@example.com"


# -- phone ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "(415) 555-0123",
        "415-555-0123",
        "415.555.0123",
        "415 555 0123",
        "+1 415 555 0123",
        "+1-415-555-0123",
        "1 (415) 555-0123",
        "+14155550123",
        "tel:+1-415-555-0123",
        "001 415 555 0123",
    ],
)
def test_us_numbers_in_every_format_become_e164(text: str) -> None:
    assert normalise_phone(text, "US") == "+14155550123"


@pytest.mark.parametrize(
    ("text", "region", "key"),
    [
        ("030 1234567", "DE", "+49301234567"),
        ("0049 30 1234567", None, "+49301234567"),
        ("0049 30 1234567", "US", "+49301234567"),
        ("+44 (0)20 7946 0958", None, "+442079460958"),
        ("+1 415 555 0123 x 45", "US", "+14155550123;ext=45"),
        ("+1 415 555 0123 ext. 45", None, "+14155550123;ext=45"),
        ("tel:+1-415-555-0123;ext=12", None, "+14155550123;ext=12"),
        ("tel:5550123;phone-context=+1-415", None, "+14155550123"),
        ("555-0123", "US", None),  # no area code: a local number we cannot place
    ],
)
def test_phone_variants(text: str, region: str | None, key: str | None) -> None:
    assert normalise_phone(text, region) == key


def test_number_without_country_code_and_region_keeps_a_national_key() -> None:
    assert normalise_phone("030 1234567", None) == "national:0301234567"
    assert normalise_phone("030-123-4567", None) == "national:0301234567"
    assert normalise_phone("national:0301234567", None) == "national:0301234567"


@pytest.mark.parametrize("text", ["", "n/a", "call me", "12", "+", "555-CALL-NOW", "1" * 20])
def test_garbage_is_no_phone(text: str) -> None:
    assert normalise_phone(text, "US") is None
    assert normalise_phone(text, None) is None


def test_format_phone_is_readable() -> None:
    assert format_phone("+14155550123") == "+1 415-555-0123"
    assert format_phone("+14155550123;ext=7") == "+1 415-555-0123 ext. 7"
    assert format_phone("national:0301234567") == "0301234567"


# -- urls and handles ----------------------------------------------------------------------

LINKEDIN = "https://www.linkedin.com/in/jane-doe-1a2b3c"


@pytest.mark.parametrize(
    "text",
    [
        "http://linkedin.com/in/Jane-Doe-1A2B3C/",
        "https://www.linkedin.com/in/jane-doe-1a2b3c?trk=public_profile",
        "de.linkedin.com/in/jane-doe-1a2b3c",
        "https://uk.linkedin.com/in/jane-doe-1a2b3c/en",
        "www.linkedin.com/in/jane-doe-1a2b3c#experience",
    ],
)
def test_linkedin_profile_urls_in_all_forms(text: str) -> None:
    assert normalise_url(text) == ("linkedin", LINKEDIN)


def test_linkedin_old_public_urls_map_to_their_new_form() -> None:
    url = "https://sy.linkedin.com/pub/krzysztof-marzec/a7/576/b50?trk=biz_employee_pub"
    assert normalise_url(url) == (
        "linkedin",
        "https://www.linkedin.com/in/krzysztof-marzec-b50576a7",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://twitter.com/JaneDoe", ("twitter", "https://x.com/janedoe")),
        ("x.com/@janedoe", ("twitter", "https://x.com/janedoe")),
        ("https://mobile.twitter.com/janedoe/", ("twitter", "https://x.com/janedoe")),
        ("https://github.com/JDoe/", ("github", "https://github.com/jdoe")),
        ("https://www.facebook.com/Jane.Doe", ("facebook", "https://www.facebook.com/janedoe")),
        (
            "https://m.facebook.com/profile.php?id=1234",
            ("facebook", "https://www.facebook.com/profile.php?id=1234"),
        ),
        ("https://github.com/jdoe/project", ("web", "https://github.com/jdoe/project")),
        ("https://twitter.com/home", ("web", "https://twitter.com/home")),
        (
            "HTTP://WWW.Example.com/Blog/?utm_source=x&b=2#top",
            ("web", "https://example.com/Blog?b=2"),
        ),
        ("example.com", ("web", "https://example.com")),
        ("https://www.linkedin.com/company/acme", ("web", "https://linkedin.com/company/acme")),
    ],
)
def test_other_urls(text: str, expected: tuple[str, str]) -> None:
    assert normalise_url(text) == expected


@pytest.mark.parametrize("text", ["", "not a url", "ftp://example.com", "mailto:a@b.com", "jane"])
def test_non_urls(text: str) -> None:
    assert normalise_url(text) is None


def test_handles_meet_their_profile_urls() -> None:
    assert normalise_handle("twitter", "@JaneDoe") == normalise_url("https://twitter.com/janedoe")
    assert normalise_handle("X", "janedoe") == ("twitter", "https://x.com/janedoe")
    assert normalise_handle("github", "https://github.com/JDoe") == (
        "github",
        "https://github.com/jdoe",
    )
    assert normalise_handle("linkedin", "jane-doe-1a2b3c") == ("linkedin", LINKEDIN)


def test_handles_without_urls_keep_a_service_key() -> None:
    assert normalise_handle("skype", "Jane.Doe") == ("skype", "skype:jane.doe")
    assert normalise_handle("jabber", "xmpp:Jane@Jabber.org") == ("xmpp", "xmpp:jane@jabber.org")
    assert normalise_handle(None, "@jane@mastodon.social") == (
        "mastodon",
        "mastodon:jane@mastodon.social",
    )
    assert normalise_handle("skype", "   ") is None


# -- records -------------------------------------------------------------------------------


def test_normalise_identities_dedupes_in_order_and_drops_junk() -> None:
    raw = [
        RawIdentity("email", "Jane.Doe@gmail.com"),
        RawIdentity("phone", "(415) 555-0123"),
        RawIdentity("email", "janedoe+x@googlemail.com"),  # the same mailbox
        RawIdentity("email", "urn:li:member:42"),
        RawIdentity("url", "http://linkedin.com/in/Jane-Doe-1a2b3c/", service="linkedin"),
        RawIdentity("handle", "@janedoe", service="twitter"),
        RawIdentity("url", "https://x.com/JaneDoe"),  # the same profile
        RawIdentity("phone", "+1 415 555 0123"),
        RawIdentity("url", "mailto:jane@work.example.com"),
    ]
    out = normalise_identities(raw, "US")
    assert [(i.kind, i.value) for i in out] == [
        ("email", "janedoe@gmail.com"),
        ("phone", "+14155550123"),
        ("url", LINKEDIN),
        ("url", "https://x.com/janedoe"),
        ("email", "jane@work.example.com"),
    ]
    assert out[0] == Identity("email", "janedoe@gmail.com", "jane.doe@gmail.com", None)
    assert out[1].display == "+1 415-555-0123"
    assert out[2].service == "linkedin"


def test_handle_identities_get_a_handle_kind() -> None:
    (ident,) = normalise_identities([RawIdentity("handle", "Jane.Doe", service="skype")])
    assert (ident.kind, ident.value, ident.service) == ("handle", "skype:jane.doe", "skype")


# -- properties ----------------------------------------------------------------------------

address_text = st.one_of(
    st.emails().map(str),
    st.builds(
        lambda local, dots, domain: (local[:2] + "." * dots + local[2:]) + "@" + domain,
        st.from_regex(r"[A-Za-z0-9_+]{1,12}", fullmatch=True),
        st.integers(0, 2),
        st.sampled_from(["gmail.com", "GoogleMail.com", "example.org", "Example.co.uk"]),
    ),
    st.text(max_size=30),
)


@settings(max_examples=300)
@given(address_text)
def test_email_normalisation_is_idempotent(text: str) -> None:
    key = normalise_email(text)
    if key is not None:
        assert normalise_email(key) == key
    shown = clean_email(text)
    if shown is not None:
        assert clean_email(shown) == shown
        assert normalise_email(shown) == key


phone_text = st.one_of(
    st.from_regex(r"\+?[0-9 ()\-.]{5,20}", fullmatch=True),
    st.from_regex(r"(tel:)?\+?(00)?[1-9][0-9]{6,12}( ?(x|ext\.?) ?[0-9]{1,4})?", fullmatch=True),
    st.text(max_size=20),
)


@settings(max_examples=300)
@given(phone_text, st.sampled_from([None, "US", "DE", "GB"]))
@example("+200000000000", None)  # Egypt's national prefix "0" was stripped at every reading
def test_phone_normalisation_is_idempotent(text: str, region: str | None) -> None:
    key = normalise_phone(text, region)
    if key is not None:
        assert normalise_phone(key, region) == key


url_text = st.one_of(
    st.builds(
        lambda scheme, host, path: f"{scheme}{host}/{path}",
        st.sampled_from(["", "http://", "https://", "HTTPS://www."]),
        st.sampled_from(
            [
                "linkedin.com",
                "de.linkedin.com",
                "twitter.com",
                "x.com",
                "github.com",
                "facebook.com",
                "example.com",
                "Example.org:8080",
            ]
        ),  # fmt: skip
        st.from_regex(
            r"(in/|pub/|@)?[A-Za-z0-9_.\-]{1,12}(/[a-z0-9]{1,3}){0,3}/?(\?[a-z_]{1,5}=[a-z0-9]{0,4})?",
            fullmatch=True,
        ),
    ),
    st.text(max_size=40),
)


@settings(max_examples=300)
@given(url_text)
def test_url_normalisation_is_idempotent(text: str) -> None:
    found = normalise_url(text)
    if found is not None:
        service, url = found
        assert normalise_url(url) == (service, url)
