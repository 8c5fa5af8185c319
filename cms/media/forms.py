"""Admin upload forms for images and documents (WAGTAIL*_FORM_BASE in settings/storage.py).

The file goes to storage while the form validates, not while the view saves: Wagtail's
views save inside a transaction with no handler for storage errors, so S3 failing there
is a 500 for the editor. Stored during validation, a failure is an ordinary form error,
the row is never written, and if writing the row fails the stored object is deleted.
"""

import logging
from contextlib import suppress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.forms import ModelForm
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image as PILImage
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.search import index as search_index

from cms.media.storage import STORAGE_ERRORS, describe

logger = logging.getLogger(__name__)

STORAGE_UNAVAILABLE = gettext_lazy(
    "The file could not be stored: the media storage is not answering or refused it. "
    "Nothing was saved. Please try again in a few minutes; if it keeps failing, tell "
    "your administrator."
)


class StoreOnValidateMixin(ModelForm):
    """Puts a newly uploaded file into storage as the last step of validation."""

    stored_name: str | None = None
    # The Wagtail form whose save() this one replaces; the ones above it still run.
    wagtail_form: type[ModelForm] = ModelForm

    def set_file_metadata(self) -> None:
        raise NotImplementedError

    def after_file_replaced(self) -> None:
        """Drop what depended on the file this one replaces."""

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors or "file" not in self.changed_data:
            return
        field_file: FieldFile = self.instance.file
        if not field_file or field_file._committed:
            return
        # Size and hash come from the uploaded bytes while they are still local.
        self.set_file_metadata()
        storage = field_file.storage
        try:
            name = field_file.field.generate_filename(self.instance, field_file.name)
            self.stored_name = storage.save(name, field_file.file,
                                            max_length=field_file.field.max_length)
        except STORAGE_ERRORS as exc:
            logger.warning("upload of %r not stored: %s", field_file.name, describe(exc, storage))
            self.add_error("file", ValidationError(STORAGE_UNAVAILABLE, code="storage_unavailable"))
            return
        # Marked as stored, the model's save writes only the row. Not assigned through
        # the descriptor, which would re-read the image's dimensions from storage.
        field_file.name = self.stored_name
        field_file._committed = True

    def save(self, commit: bool = True) -> object:
        # Wagtail's Base*Form.save would re-read the file's size from storage; the metadata
        # is already set, so save like Wagtail does minus that read.
        original = getattr(self, "original_file", None)
        replaced = "file" in self.changed_data and bool(original) and self.stored_name
        try:
            super(self.wagtail_form, self).save(commit=commit)
        except Exception:
            self.discard_stored()
            raise
        if commit:
            if replaced:
                # Only once the new row is committed: a rollback keeps the old file usable.
                old_name, old_storage = original.name, original.storage
                transaction.on_commit(lambda: self._delete_quietly(old_storage, old_name),
                                      robust=True)
                self.after_file_replaced()
            search_index.insert_or_update_object(self.instance)
        return self.instance

    def discard_stored(self) -> None:
        if self.stored_name:
            self._delete_quietly(self.instance.file.storage, self.stored_name)

    @staticmethod
    def _delete_quietly(storage: object, name: str) -> None:
        with suppress(*STORAGE_ERRORS):
            storage.delete(name)


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, with a damaged image as a form error instead of a 500.

    Wagtail decodes the upload to check its pixel count, and a truncated or corrupt
    file raises from Pillow there; Wagtail 8 does not catch it.
    """

    def to_python(self, data: object) -> object:
        try:
            return super().to_python(data)
        except (OSError, SyntaxError, ValueError, EOFError, PILImage.DecompressionBombError) as exc:
            raise ValidationError(
                _("This file is damaged or is not a complete image (%(reason)s). "
                  "Please export it again and upload the new file."),
                code="corrupt_image", params={"reason": str(exc) or type(exc).__name__},
            ) from exc


class ImageForm(StoreOnValidateMixin, BaseImageForm):
    wagtail_form = BaseImageForm

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        generated = self.fields.get("file")
        if generated is not None:
            # Built per form, as Wagtail does, so it reads the size limits in force now.
            self.fields["file"] = CheckedImageField(
                label=generated.label, widget=generated.widget, required=generated.required,
                max_length=generated.max_length)

    def set_file_metadata(self) -> None:
        self.instance._set_image_file_metadata()

    def after_file_replaced(self) -> None:
        self.instance.renditions.all().delete()


class DocumentForm(StoreOnValidateMixin, BaseDocumentForm):
    wagtail_form = BaseDocumentForm

    def set_file_metadata(self) -> None:
        self.instance._set_document_file_metadata()

    def clean_file(self) -> object:
        file = self.cleaned_data.get("file")
        limit = settings.MORTAR_DOCUMENTS_MAX_UPLOAD_SIZE
        if isinstance(file, UploadedFile) and limit and file.size > limit:
            raise ValidationError(
                _("This file is too big (%(size)s). The largest document accepted is %(limit)s."),
                code="file_too_large",
                params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            )
        return file
