"""Turning Wagtail's internal url_paths into site paths and back."""

import re
import unicodedata

from wagtail.models import Page

from cms.api.errors import BadRequest

MAX_PATH_LENGTH = 1024
_CHAR = r"[^/?#\\\x00-\x1f\x7f-\x9f\ufffd]"
_NOT_DOT = r"[^/?#\\.\x00-\x1f\x7f-\x9f\ufffd]"
_SEGMENT = rf"(?:{_NOT_DOT}{_CHAR}*|\.{_NOT_DOT}{_CHAR}*|\.\.{_CHAR}+)"
# What clean_html_path accepts, for the OpenAPI document: '/', then segments that are
# not empty, '.' or '..', each followed by '/' (optional after the last).
HTML_PATH_PATTERN = rf"^/(?:{_SEGMENT}/)*(?:{_SEGMENT})?$"

_VALID_PATH = re.compile(HTML_PATH_PATTERN)


def path_error(raw: str | None) -> str | None:
    """Which rule a path breaks, in words; None for a valid path. The rules, spelled out,
    that HTML_PATH_PATTERN states in one expression (a test holds the two together)."""
    if raw is None or raw == "":
        return "html_path is required, for example ?html_path=/about/"
    if len(raw) > MAX_PATH_LENGTH:
        return f"html_path is longer than {MAX_PATH_LENGTH} characters"
    if not raw.startswith("/"):
        return "html_path must start with '/'"
    if any(ch in "\\?#\ufffd" or unicodedata.category(ch) in ("Cc", "Cs") for ch in raw):
        return "html_path contains characters that cannot appear in a page path"
    if raw != "/" and any(segment in ("", ".", "..")
                          for segment in raw[1:].removesuffix("/").split("/")):
        return "html_path must not contain empty, '.' or '..' segments"
    return None


def clean_html_path(raw: str | None) -> str:
    """Validate a visitor-supplied path and give it its canonical form, '/a/b/'.

    One regular expression on the hot path; the rule-by-rule check only to explain."""
    if not raw or len(raw) > MAX_PATH_LENGTH or not _VALID_PATH.match(raw):
        raise BadRequest(path_error(raw) or "html_path is not a page path")
    return raw if raw.endswith("/") else raw + "/"


def html_path(page: Page, site_root_path: str) -> str | None:
    """The path of a page on the site whose root page has url_path `site_root_path`."""
    if page.url_path and page.url_path.startswith(site_root_path):
        return "/" + page.url_path[len(site_root_path):]
    return None
