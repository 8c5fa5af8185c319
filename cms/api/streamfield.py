"""Transitional: the old names of `cms.api.streams`, for `cms.api.views.navigation` until it
calls `cms.api.representation.represent_stream`. Delete then."""

from typing import Any

from wagtail import blocks

from cms.api import streams
from cms.api.resolver import Refs, Resolver

collect = streams.collect


def render(block: blocks.Block, raw: Any, resolver: Resolver) -> Any:
    return streams.represent(block, raw, streams.context_for(resolver))


__all__ = ["Refs", "collect", "render"]
