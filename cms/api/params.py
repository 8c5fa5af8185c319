"""Query-parameter checks that run before anything reaches the database.

PostgreSQL refuses NUL bytes in text and numbers beyond its column types; the search
backend refuses unknown operators. Each of those surfaced as a 500. These helpers turn
such values into a `BadRequest` (400 JSON) with a message naming the parameter.
"""

import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.http import QueryDict
from taggit.managers import TaggableManager

from cms.api.errors import BadRequest

MAX_PARAM_LENGTH = 2048
SEARCH_OPERATORS = ("and", "or")


def check_text(name: str, value: str) -> None:
    """A value (or a name) is at most MAX_PARAM_LENGTH characters, with no control
    characters (NUL included), lone surrogates or U+FFFD (what undecodable bytes become)."""
    if len(value) > MAX_PARAM_LENGTH:
        raise BadRequest(f"{name[:64]!r} is longer than {MAX_PARAM_LENGTH} characters")
    if any(ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise BadRequest(f"{name[:64]!r} contains control or undecodable characters")


def check_query_text(query: QueryDict) -> None:
    """check_text on every name and every value of a query string."""
    for name, values in query.lists():
        check_text(name, name)
        for value in values:
            check_text(name, value)


def integer_range(field: models.Field) -> tuple[int, int]:
    """The values the database column behind an integer field (or a key to one) can hold."""
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    # Backends without a limit (SQLite) answer None; PostgreSQL's bigint is the widest.
    return (-(2**63) if low is None else low, 2**63 - 1 if high is None else high)


def whole_number(name: str, raw: str, low: int, high: int) -> int:
    """`raw` as an int in [low, high], ASCII digits only (no sign, spaces or underscores)."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 20 or not low <= int(raw) <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def check_field_filter(model: type[models.Model], name: str, raw: str) -> None:
    """A `?field=value` filter holds a value the field's column can compare with."""
    try:
        field = model._meta.get_field(name)
    except LookupError:
        return
    if isinstance(field, TaggableManager | models.BooleanField):
        return  # Wagtail parses these itself and answers 400 on a bad value
    if isinstance(field, models.IntegerField | models.AutoField | models.ForeignKey):
        target = field.target_field if isinstance(field, models.ForeignKey) else field
        if isinstance(target, models.IntegerField | models.AutoField):
            low, high = integer_range(field)
            digits = raw.removeprefix("-")
            if not (digits.isascii() and digits.isdigit() and len(digits) <= 20
                    and low <= int(raw) <= high):
                raise BadRequest(f"{name} must be a whole number from {low} to {high}")
            return
    if isinstance(field, models.DateField | models.TimeField | models.DecimalField
                  | models.FloatField | models.UUIDField):
        try:
            field.to_python(raw)
        except ValidationError as error:
            raise BadRequest(f"{name}: {' '.join(error.messages)}") from error


def check_choice(name: str, raw: str | None, choices: Iterable[str]) -> None:
    allowed = tuple(choices)
    if raw is not None and raw not in allowed:
        raise BadRequest(f"{name} must be one of: {', '.join(allowed)}")
