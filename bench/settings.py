"""Production settings plus the ceiling view's URL, for benchmarks only."""

from cms.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
