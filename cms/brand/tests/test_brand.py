"""Settings > Brand: the admin form's checks, and the brand in the navigation document."""

import json

import pytest
from django.urls import reverse
from wagtail.models import Site

from cms.brand.colors import contrast_ratio, validate_primary_color
from cms.brand.models import DEFAULT_PRIMARY_COLOR, FONTS, BrandSettings
from cms.publishing import renderer_tags
from cms.publishing.models import RevalidationRequest


def brand_url(site: Site) -> str:
    return reverse("wagtailsettings:edit", args=["brand", "brandsettings", site.pk])


def form(**values: object) -> dict[str, object]:
    return {"site_name": "", "show_site_name": "on", "logo": "",
            "primary_color": "#0f766e", "font": "system", **values}


def test_contrast_follows_wcag():
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21.0
    assert contrast_ratio("#0f766e", "#0f766e") == 1.0
    # Tailwind's teal-700 on the site's background: AA for normal text.
    assert 5.2 < contrast_ratio("#0f766e", "#fafaf9") < 5.3


@pytest.mark.parametrize(("color", "error"), [
    ("teal", "six hexadecimal digits"),
    ("#0f766", "six hexadecimal digits"),
    ("#fde047", "too light to read"),  # yellow-300: 1.3:1
    ("#2dd4bf", "too light to read"),  # teal-400
])
def test_the_admin_refuses_a_colour_nobody_could_read(editor, home, color, error):
    site = Site.objects.get()
    response = editor.post(brand_url(site), form(primary_color=color))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert BrandSettings.for_site(site).primary_color == DEFAULT_PRIMARY_COLOR  # unsaved


def test_the_message_gives_the_contrast_and_what_is_needed():
    with pytest.raises(Exception, match=r"contrast is 1\.3:1 and text needs 4\.5:1"):
        validate_primary_color("#fde047")


def test_a_brand_saved_in_the_admin_is_an_outbox_row_and_shows_in_navigation(
        editor, home, make_image):
    site = Site.objects.get()
    logo = make_image("Acme logo")
    RevalidationRequest.objects.all().delete()

    response = editor.post(brand_url(site), form(
        site_name="Acme", logo=logo.pk, primary_color="#1D4ED8", font="transitional"))

    assert response.status_code == 302
    # Like every site setting: the outbox names it, and every page shows the navigation.
    assert {tag for row in RevalidationRequest.objects.all() for tag in row.tags} == {
        "setting:brand.brandsettings"}
    brand = json.loads(editor.get("/api/v2/navigation/").content)["brand"]
    assert brand["name"] == "Acme" and brand["show_name"] is True
    assert brand["primary_color"] == "#1d4ed8"  # stored as the colour picker gives it
    assert brand["font_family"] == FONTS["transitional"][1]
    assert brand["logo"]["id"] == logo.pk and brand["logo"]["srcset"]
    assert brand["logo"]["alt"] == ""  # beside the name, the logo is decorative


def test_a_logo_without_the_name_beside_it_carries_the_name(client, home, make_image):
    site = Site.objects.get()
    BrandSettings.objects.create(site=site, site_name="Acme", show_site_name=False,
                                 logo=make_image())

    brand = json.loads(client.get("/api/v2/navigation/").content)["brand"]

    assert brand["show_name"] is False and brand["logo"]["alt"] == "Acme"


def test_without_a_brand_the_site_has_its_name_and_the_neutral_defaults(client, home):
    site = Site.objects.get()
    site.site_name = "Main site"
    site.save()

    brand = json.loads(client.get("/api/v2/navigation/").content)["brand"]

    assert brand == {"name": "Main site", "show_name": True, "logo": None,
                     "primary_color": DEFAULT_PRIMARY_COLOR,
                     "font_family": FONTS["system"][1]}


def test_the_navigation_answer_is_recorded_under_the_brand_and_its_logo(
        client, home, make_image):
    site = Site.objects.get()
    logo = make_image()
    BrandSettings.objects.create(site=site, logo=logo)

    client.get("/api/v2/navigation/")

    # A change of either reaches the renderer's navigation entry, which every page shows.
    for name in ("setting:brand.brandsettings", f"image:{logo.pk}"):
        assert renderer_tags.tags_by_site({name}) == {site.pk: [renderer_tags.NAVIGATION]}
