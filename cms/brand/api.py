"""The brand in the navigation document (`brand` of `/api/v2/navigation/`), and its schema."""

from typing import Any

from wagtail.models import Site

from cms.api.adapters import STRING, Refs, Resolver, Schema, obj
from cms.brand.colors import HEX_COLOR
from cms.brand.models import BrandSettings
from cms.images.api import IMAGE
from cms.publishing.freshness import dependencies


def brand_json(site: Site, restricted: list[str]) -> tuple[dict[str, Any], set[str]]:
    """`{"name", "show_name", "logo": Image | null, "primary_color", "font_family"}` for
    `site`, with the dependency names it shows (the setting, its logo). One query, three
    with a logo. A site nobody branded yet has the defaults, and reading them writes
    nothing (Wagtail's `for_site` would create the row, a change to deliver)."""
    brand = BrandSettings.objects.filter(site=site).first() or BrandSettings(site=site)
    refs = Refs()
    IMAGE.collect(brand.logo_id, refs)
    resolver = Resolver(site, restricted)
    resolver.load(refs)
    name = brand.site_name or site.site_name or site.root_page.title
    logo = IMAGE.json(brand.logo_id, resolver)
    if logo is not None:
        # Beside the name the logo is decorative; alone it is the link's text: the name.
        logo["alt"] = "" if brand.show_site_name else name
    return ({"name": name, "show_name": brand.show_site_name or logo is None, "logo": logo,
             "primary_color": brand.primary_color, "font_family": brand.font_family},
            {dependencies.setting(BrandSettings._meta.label), *refs.dependency_names()})


def brand_schema() -> Schema:
    return obj({
        "name": STRING,
        "show_name": {"type": "boolean", "description": "false: the logo alone stands for "
                                                        "the name (its alt text)"},
        "logo": IMAGE.schema({}),
        "primary_color": {"type": "string", "pattern": HEX_COLOR.pattern,
                          "description": "#rrggbb; reads on the page background and "
                                         "carries white text (contrast 4.5:1 or more)"},
        "font_family": {"type": "string", "description": "a CSS font-family stack of "
                                                         "system fonts"},
    }, description="Settings > Brand of the site, applied to every page")
