"""The demo site: a home page, about, contact, an article index with articles, menus.

Demo content is made once, on an empty site (nothing but Wagtail's starter page):
once editors have pages, seeding again never touches them. StreamField content goes
through `editor_json`, so the admin opens and saves it exactly as written.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Page, Site

from cms.blocks.content import editor_json
from cms.brand.models import BrandSettings
from cms.core.models import NavigationSettings
from cms.images.drawing import draw, draw_logo
from cms.images.tasks import generate_renditions
from sites.example.models import (
    ArticleIndexPage,
    ArticlePage,
    ContentPage,
    FormField,
    FormPage,
    HomePage,
)

DEMO_IMAGE_COUNT = 8
DEMO_ARTICLE_COUNT = 14
TOPICS = [
    "Designing for editors", "Headless without the headache", "Images that load fast",
    "Scheduling a launch", "Previewing drafts safely", "A block library that scales",
    "Caching pages at the edge", "Writing for the web", "Accessible by default",
    "Search that editors trust", "Moving a site to the cloud", "One API, many sites",
    "Measuring what matters", "Publishing without a rebuild", "Keeping secrets secret",
    "Small teams, big sites",
]
TAGS = ["design", "engineering", "editorial", "performance", "security"]
# The demo's brand (Settings > Brand): what an agency would set up for a client.
BRAND_NAME = "Mortar & Co."
BRAND_COLOR = "#0f766e"  # Tailwind's teal-700: 5.2:1 on the page, under white text too
BRAND_FONT = "humanist"

Log = Callable[[str], None]


def rich(html: str) -> dict[str, Any]:
    return {"type": "rich_text", "value": html}


def heading(text: str, level: int = 2) -> dict[str, Any]:
    return {"type": "heading", "value": {"text": text, "level": str(level)}}


def image_block(image: AbstractImage, caption: str = "") -> dict[str, Any]:
    return {"type": "image", "value": {"image": image.pk, "alt": "", "caption": caption}}


def cta(label: str, page: Page | None = None, url: str = "") -> dict[str, Any]:
    return {"type": "cta", "value": {"label": label,
                                     "link": {"page": page.pk if page else None, "url": url}}}


def stream(*blocks: dict[str, Any]) -> str:
    """A page body as the editor saves it (every page type shares BodyStreamBlock)."""
    return editor_json(ArticlePage._meta.get_field("body").stream_block, list(blocks))


def demo_images(log: Log, count: int = DEMO_IMAGE_COUNT,
                name: str = "demo") -> list[AbstractImage]:
    """`count` drawn images titled '<Name> image N', found again by title on later runs."""
    image_model = get_image_model()
    images = []
    for index in range(count):
        title = f"{name.capitalize()} image {index + 1}"
        image = image_model.objects.filter(title=title).first()
        if image is None:
            image = image_model(title=title, description=f"Abstract pattern number {index + 1}")
            image.file = ImageFile(ContentFile(draw(index), name=f"{name}-{index + 1}.jpg"))
            image.save()
            # As an upload sets it: Wagtail's rendition cache keys on it.
            image.get_file_hash()
            log(f"image: {title}")
        images.append(image)
    return images


def _child(parent: Page, model: type[Page], slug: str, **fields: Any) -> Page:
    """A new published child of `parent`."""
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


class DemoError(Exception):
    """The demo content cannot be made as asked; the message says why."""


def _starter_pages() -> QuerySet[Page]:
    """Wagtail's 'Welcome to your new Wagtail site!' page, which its migrations create."""
    return Page.objects.filter(depth=2, numchild=0,
                               content_type=ContentType.objects.get_for_model(Page))


def site_is_empty() -> bool:
    """Nothing but the tree's root and Wagtail's starter page: no editor's work to keep."""
    return not Page.objects.filter(depth__gt=1).exclude(
        pk__in=_starter_pages().values("pk")).exists()


@transaction.atomic
def build(log: Log, extra_pages: int = 0) -> None:
    """Make the demo site if the site is empty, then `extra_pages` bulk articles.

    Raises DemoError when extra pages are asked for and there is no article index.
    """
    if site_is_empty():
        _demo_site(log)
    else:
        log("demo content: the site has pages already, left as it is")
    if extra_pages:
        index = ArticleIndexPage.objects.order_by("path").first()
        if index is None:
            raise DemoError("--pages needs an article index page to add articles to")
        log(f"extra articles: {_bulk_articles(index, extra_pages, demo_images(log))}")


def _demo_site(log: Log) -> HomePage:
    images = demo_images(log)
    home = _home(images)
    about = _child(home, ContentPage, "about", title="About us", show_in_menus=True,
                   search_description="Who builds Mortar CMS and why.",
                   body=stream(heading("What we do"),
                               rich("<p>We build the website base every Mortar site starts "
                                    "from: editors write, marketers schedule, visitors read "
                                    "fast pages.</p>"),
                               image_block(images[1], "Our studio, in abstract"),
                               {"type": "quote", "value": {"text": "Content first, always.",
                                                           "attribution": "The Mortar team"}}))
    articles = _child(home, ArticleIndexPage, "articles", title="Articles", show_in_menus=True,
                      intro="<p>Notes on building and running headless sites.</p>",
                      search_description="Articles about headless publishing.")
    contact = _child(home, ContentPage, "contact", title="Contact", show_in_menus=True,
                     search_description="How to reach us.",
                     body=stream(heading("Get in touch"),
                                 rich(f'<p>Write to hello@example.com or read <a linktype="page" '
                                      f'id="{about.pk}">about us</a> first.</p>')))
    _contact_form(contact, about)
    _child(about, ContentPage, "team", title="Our team", show_in_menus=True,
           body=stream(rich("<p>Editors, designers and engineers.</p>")))

    today = timezone.localdate()
    for index in range(DEMO_ARTICLE_COUNT):
        _article(articles, index, images, about, contact, today - datetime.timedelta(days=index))

    home.body = stream(
        heading("Latest from the blog"),
        rich(f'<p>Read our <a linktype="page" id="{articles.pk}">articles</a> or learn '
             f'<a linktype="page" id="{about.pk}">about us</a>.</p>'),
        {"type": "cards", "value": {"heading": "Where to start", "cards": [
            {"title": page.title, "text": page.search_description, "image": images[i + 2].pk,
             "link": {"page": page.pk, "url": ""}}
            for i, page in enumerate([about, articles, contact])]}},
        cta("Contact us", page=contact),
    )
    home.save_revision().publish()

    nav = NavigationSettings.for_site(Site.objects.get(root_page=home))
    nav.footer_text = "Mortar CMS demo site. Built with Wagtail and Next.js."
    footer_block = NavigationSettings._meta.get_field("footer_links").stream_block
    nav.footer_links = editor_json(footer_block, [
        {"type": "link", "value": {"label": "About", "link": {"page": about.pk, "url": ""}}},
        {"type": "link", "value": {"label": "Contact", "link": {"page": contact.pk, "url": ""}}},
        {"type": "link", "value": {"label": "Wagtail", "link": {"page": None,
                                                                "url": "https://wagtail.org/"}}},
    ])
    nav.save()

    logo = _brand(Site.objects.get(root_page=home))

    Redirect.objects.create(old_path=Redirect.normalise_path("/old-about/"),
                            site=Site.objects.get(root_page=home), redirect_page=about,
                            is_permanent=True)
    transaction.on_commit(lambda: [generate_renditions(image.pk) for image in [*images, logo]])
    log(f"demo site ready: {Page.objects.descendant_of(home, inclusive=True).count()} pages")
    return home


def _brand(site: Site) -> AbstractImage:
    """The demo's brand: its name beside a drawn logo, a teal and a humanist font."""
    red, green, blue = (int(BRAND_COLOR[i:i + 2], 16) for i in (1, 3, 5))
    logo = get_image_model()(title=f"{BRAND_NAME} logo", description="")
    logo.file = ImageFile(ContentFile(draw_logo((red, green, blue)), name="demo-logo.png"))
    logo.save()
    logo.get_file_hash()
    brand = BrandSettings.for_site(site)
    brand.site_name, brand.logo, brand.primary_color, brand.font = (
        BRAND_NAME, logo, BRAND_COLOR, BRAND_FONT)
    brand.full_clean()
    brand.save()
    return logo


def _contact_form(contact: ContentPage, about: Page) -> FormPage:
    """A contact form under the contact page, linked from it; submissions are emailed to
    hello@example.com (printed by the worker with the default EMAIL_URL)."""
    form = FormPage(
        slug="message", title="Send us a message", search_description="Write to the team.",
        intro="<p>Questions, quotes or feedback: we answer within two working days.</p>",
        thank_you_text="<p>Thank you for your message. We will reply soon.</p>",
        to_address="hello@example.com", from_address="website@example.com",
        subject="A message from the website")
    form.form_fields = [
        FormField(sort_order=i, label=label, field_type=kind, required=required,
                  choices=choices, default_value=default, help_text=help_text)
        for i, (label, kind, required, choices, default, help_text) in enumerate([
            ("Your name", "singleline", True, "", "", ""),
            ("Email", "email", True, "", "", "We reply to this address."),
            ("Topic", "dropdown", True, "Question\nQuote\nFeedback", "Question", ""),
            ("Message", "multiline", True, "", "", ""),
            ("Send me the newsletter", "checkbox", False, "", "", ""),
        ])]
    contact.add_child(instance=form)
    form.save_revision().publish()
    contact.body = stream(
        heading("Get in touch"),
        rich(f'<p>Write to hello@example.com or read <a linktype="page" id="{about.pk}">'
             f'about us</a> first.</p>'),
        cta("Send us a message", page=form))
    contact.save_revision().publish()
    return form


def _home(images: list[AbstractImage]) -> HomePage:
    # Wagtail's starter page holds the slug 'home' at the top of the tree.
    for starter in _starter_pages():
        Site.objects.filter(root_page=starter).delete()
        starter.delete()
    home = HomePage(slug="home", title="Home", seo_title="Mortar CMS demo",
                    search_description="A demo site built on the Mortar CMS website base.",
                    hero_heading="Websites your editors will love",
                    hero_text="Write in Wagtail, publish in seconds, serve pages from Next.js.",
                    hero_image=images[0], social_image=images[0])
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(is_default_site=True, hostname="localhost", port=80, root_page=home,
                        site_name="Mortar demo")
    return home


def _article(index_page: ArticleIndexPage, index: int, images: list[AbstractImage],
             about: Page, contact: Page, date: datetime.date) -> ArticlePage:
    topic = TOPICS[index % len(TOPICS)]
    slug = topic.lower().replace(",", "").replace(" ", "-")
    page = _child(
        index_page, ArticlePage, slug, title=topic, date=date,
        intro=f"{topic}: what we learned building Mortar CMS.",
        hero_image=images[index % len(images)],
        search_description=f"{topic}, from the Mortar CMS team.",
        body=stream(
            rich(f"<p>This article is about <b>{topic.lower()}</b>. Read more "
                 f'<a linktype="page" id="{about.pk}">about us</a>.</p>'),
            heading("The problem"),
            rich("<p>Most sites start from a blank page and drift apart. Ours do not.</p>"),
            image_block(images[(index + 3) % len(images)], f"Figure for {topic.lower()}"),
            {"type": "two_column", "value": {
                "left": [rich("<p>Editors write in blocks.</p>")],
                "right": [{"type": "quote", "value": {"text": "Ship small, ship often.",
                                                      "attribution": "A Mortar editor"}}],
            }},
            cta("Talk to us", page=contact),
        ),
    )
    page.tags.set([TAGS[index % len(TAGS)], TAGS[(index + 2) % len(TAGS)]])
    page.save_revision().publish()
    return page


def _bulk_articles(index_page: ArticleIndexPage, count: int,
                   images: list[AbstractImage]) -> int:
    """`count` plain live articles for large benchmark trees, inserted in bulk.

    Creating pages one by one costs ~0.1 s each (validation, search and reference
    index tasks); benchmarks want thousands. These rows skip revisions and the
    search index, so they are for load, not for editing demos.
    """
    existing = set(index_page.get_children().filter(slug__startswith="generated-")
                   .values_list("slug", flat=True))
    wanted = [n for n in range(count) if f"generated-{n}" not in existing]
    if not wanted:
        return 0
    index_page.refresh_from_db()
    last = index_page.get_last_child()
    step = Page._str2int(last.path[-Page.steplen:]) if last else 0
    content_type = ContentType.objects.get_for_model(ArticlePage)
    now, today = timezone.now(), timezone.localdate()
    created = []
    for batch_start in range(0, len(wanted), 500):
        rows = []
        for n in wanted[batch_start:batch_start + 500]:
            step += 1
            slug = f"generated-{n}"
            rows.append(Page(
                title=f"Generated article {n}", draft_title=f"Generated article {n}", slug=slug,
                content_type=content_type, locale_id=index_page.locale_id,
                path=Page._get_path(index_page.path, index_page.depth + 1, step),
                depth=index_page.depth + 1, numchild=0,
                url_path=f"{index_page.url_path}{slug}/", live=True,
                has_unpublished_changes=False, first_published_at=now, last_published_at=now,
            ))
        created += Page.objects.bulk_create(rows)
    body = stream(rich("<p>A generated article.</p>"))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {ArticlePage._meta.db_table} "
            "(page_ptr_id, date, intro, hero_image_id, body, social_image_id) "
            "VALUES (%s, %s, %s, %s, %s, NULL)",
            [(page.pk, today - datetime.timedelta(days=i % 3650), "A generated article.",
              images[i % len(images)].pk, body) for i, page in enumerate(created)],
        )
    Page.objects.filter(pk=index_page.pk).update(
        numchild=index_page.get_children().count())
    return len(created)
