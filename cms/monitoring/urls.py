from django.urls import path

from cms.monitoring.views import metrics

urlpatterns = [path("metrics", metrics, name="metrics")]
