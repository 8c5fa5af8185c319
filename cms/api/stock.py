"""Wagtail's stock API v2 endpoints (`pages/`, `images/`, `documents/`) as Mortar serves them.

Subclasses of Wagtail's viewsets, registered on the same `WagtailAPIRouter`, so the
URLs, parameters and answers stay Wagtail's; what Mortar adds goes here.
"""

from django.db.models import QuerySet
from wagtail.api.v2.views import PagesAPIViewSet as WagtailPagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet as WagtailDocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet as WagtailImagesAPIViewSet

from cms.api.visibility import not_expired_q


class PagesAPIViewSet(WagtailPagesAPIViewSet):
    """`/api/v2/pages/`, `pages/<id>/`, `pages/find/`."""

    def get_base_queryset(self) -> QuerySet:
        # Wagtail's own rule (live, public, in the request's site) plus Mortar's one
        # difference (cms.api.visibility): a page past its expiry is gone at once.
        return super().get_base_queryset().filter(not_expired_q())


class ImagesAPIViewSet(WagtailImagesAPIViewSet):
    """`/api/v2/images/`, `images/<id>/`."""


class DocumentsAPIViewSet(WagtailDocumentsAPIViewSet):
    """`/api/v2/documents/`, `documents/<id>/`."""
