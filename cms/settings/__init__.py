"""Mortar CMS settings, one module per concern; every value comes from the environment.

With nothing set, the embedded default runs: SQLite file, local media folder,
in-memory cache and a broker that needs no server, all under `.local/`.
`DJANGO_ENV=production` turns DEBUG off and refuses to start without a real
SECRET_KEY and ALLOWED_HOSTS. Every variable is listed in `.env.example`.
"""

from cms.settings.base import *  # noqa: F403
from cms.settings.forms import *  # noqa: F403
from cms.settings.frontend import *  # noqa: F403
from cms.settings.lockout import *  # noqa: F403
from cms.settings.monitoring import *  # noqa: F403
from cms.settings.security import *  # noqa: F403
from cms.settings.storage import *  # noqa: F403
from cms.settings.tasks import *  # noqa: F403
