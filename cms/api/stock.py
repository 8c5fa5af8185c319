"""Wagtail's stock API v2 endpoints (`pages/`, `images/`, `documents/`) as Mortar serves them.

Subclasses of Wagtail's viewsets, registered on the same `WagtailAPIRouter`, so the
URLs, parameters and answers stay Wagtail's; what Mortar adds goes here.
"""

from wagtail.api.v2.views import PagesAPIViewSet as WagtailPagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet as WagtailDocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet as WagtailImagesAPIViewSet


class PagesAPIViewSet(WagtailPagesAPIViewSet):
    """`/api/v2/pages/`, `pages/<id>/`, `pages/find/`."""


class ImagesAPIViewSet(WagtailImagesAPIViewSet):
    """`/api/v2/images/`, `images/<id>/`."""


class DocumentsAPIViewSet(WagtailDocumentsAPIViewSet):
    """`/api/v2/documents/`, `documents/<id>/`."""
