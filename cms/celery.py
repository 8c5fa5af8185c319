"""The Celery app: `celery -A cms worker` and `celery -A cms beat` (DatabaseScheduler).

Configuration lives in Django settings under the CELERY_ prefix (cms/settings/tasks.py);
tasks are found in each app's tasks.py.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
