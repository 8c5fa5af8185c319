"""Preview tokens for the API: the draft behind a token and the page type it names.

Tokens are signed by wagtail-headless-preview and checked for signature AND age by
`cms.core.pages.load_preview` (with the errors it raises). `PreviewMixin`, which lived
here, is in cms.core.pages too; it stays importable from here because migrations written
before the move record `cms.preview.tokens.PreviewMixin` among their models' bases.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page
from wagtail_headless_preview.models import HeadlessPreviewMixin

from cms.core.pages import (
    PreviewError,
    PreviewMixin,
    PreviewNotFound,
    PreviewTokenExpired,
    PreviewTokenInvalid,
    check_token,
    load_preview,
    max_age,
)

__all__ = ["PreviewError", "PreviewMixin", "PreviewNotFound", "PreviewTokenExpired",
           "PreviewTokenInvalid", "check_token", "load_preview", "max_age", "page_for_token",
           "preview_model"]


def preview_model(content_type: str) -> type[Page]:
    """`app_label.model` (as the preview client URL carries it) to a previewable page model.

    Raises PreviewError when it is malformed, PreviewNotFound when no such previewable
    page type exists."""
    app_label, _, model = content_type.partition(".")
    if not app_label or not model:
        raise PreviewError("content_type must look like app_label.model")
    try:
        model_class = ContentType.objects.get_by_natural_key(app_label, model.lower()).model_class()
    except ContentType.DoesNotExist as error:
        raise PreviewNotFound(f"Unknown content_type '{content_type}'") from error
    if model_class is None or not issubclass(model_class, HeadlessPreviewMixin):
        raise PreviewNotFound(f"'{content_type}' is not a previewable page type")
    return model_class


def page_for_token(content_type: str, token: str) -> Page:
    """The draft page stored under a valid token, with tree fields a new page lacks filled in.

    Raises the PreviewError subclasses of `preview_model` and `load_preview`."""
    if not token:
        raise PreviewTokenInvalid("A preview token is required")
    return load_preview(preview_model(content_type), token)
