from django.urls import URLPattern, path

from cms.health.views import healthz, livez

# No trailing slash: what load balancers and compose probes ask for (and what
# SECURE_REDIRECT_EXEMPT lets through over plain HTTP).
urlpatterns: list[URLPattern] = [
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
]
