"""Form pages for tests: a published `SampleFormPage` with fields of every common kind."""

from typing import Any

from wagtail.models import Page

from cms.testing.content import add
from cms.testing.pages.models import SampleFormField, SampleFormPage

# label, field type, required, choices, default
CONTACT_FIELDS: list[tuple[str, str, bool, str, str]] = [
    ("Your name", "singleline", True, "", ""),
    ("Email", "email", True, "", ""),
    ("Topic", "dropdown", False, "Question\nQuote\nOther", "Question"),
    ("Message", "multiline", True, "", ""),
    ("Visitors", "number", False, "", ""),
    ("Extras", "checkboxes", False, "Tea, Coffee", "Tea"),
    ("Subscribe", "checkbox", False, "", ""),
    ("Visit day", "date", False, "", ""),
]


def form_page(parent: Page, slug: str = "contact", publish: bool = True,
              to_address: str = "team@example.com", **fields: Any) -> SampleFormPage:
    """A contact form under `parent`, added and published like an editor does."""
    page = SampleFormPage(
        title="Contact", slug=slug, to_address=to_address, from_address="site@example.com",
        subject="New contact", thank_you_text='<p>Thanks, we will <b>reply</b> soon.</p>',
        **fields)
    page.form_fields = [
        SampleFormField(label=label, field_type=kind, required=required, choices=choices,
                        default_value=default, sort_order=i)
        for i, (label, kind, required, choices, default) in enumerate(CONTACT_FIELDS)]
    return add(parent, page, publish=publish)


VALID = {"your_name": "Ada", "email": "ada@example.com", "topic": "Quote",
         "message": "Lime mortar for a 1890 wall?", "visitors": 3, "extras": ["Tea", "Coffee"],
         "subscribe": True, "visit_day": "2027-03-04"}
