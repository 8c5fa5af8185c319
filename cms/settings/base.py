"""Mortar CMS settings: every value comes from the environment (see .env.example).

With nothing set, the embedded default runs: SQLite file, local media folder,
in-memory cache and a broker that needs no server, all under `.local/`.
`DJANGO_ENV=production` turns DEBUG off and refuses to start without a real
SECRET_KEY and ALLOWED_HOSTS.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from cms.core.redis import CLIENT_OPTIONS as REDIS_CLIENT_OPTIONS

BASE_DIR = Path(__file__).resolve().parent.parent.parent
LOCAL_DIR = BASE_DIR / ".local"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DJANGO_ENV: str = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"
DEBUG: bool = env.bool("DEBUG", default=not PRODUCTION)

_DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"
SECRET_KEY: str = env.str("SECRET_KEY", default="" if PRODUCTION else _DEV_SECRET_KEY)
# Comma- or space-separated (compose lists several sites' hostnames as nginx does).
ALLOWED_HOSTS: list[str] = [host for item in env.list(
    "ALLOWED_HOSTS",
    # ".localhost": localhost and every name under it, such as a second site's docs.localhost
    default=[] if PRODUCTION else [".localhost", "127.0.0.1", "[::1]", "testserver"]
) for host in item.split()]
if PRODUCTION:
    # The example file's placeholder starts with "change-me": copying it is not enough.
    if len(SECRET_KEY) < 32 or SECRET_KEY == _DEV_SECRET_KEY or SECRET_KEY.startswith("change-me"):
        raise ImproperlyConfigured("SECRET_KEY must be set to a random string of 32+ characters")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the hostnames this CMS answers to")

# The websites this CMS serves, each an app `sites/<name>/` (its page types and demo
# content). The platform (`cms/`) never imports a site: which ones run is configuration.
# Unset, every folder under sites/ with an apps.py is installed (what `startsite` makes).
SITES_PACKAGE = "sites"
_FOUND_SITES = sorted(path.parent.name for path in (BASE_DIR / SITES_PACKAGE).glob("*/apps.py"))
MORTAR_SITES: list[str] = [name.strip() for name in env.list("MORTAR_SITES", default=_FOUND_SITES)
                           if name.strip()]
for _site in MORTAR_SITES:
    if not _site.isidentifier():
        raise ImproperlyConfigured(
            f"MORTAR_SITES: {_site!r} is not a site name (a folder under sites/, comma-separated)")

INSTALLED_APPS = [
    "cms.core",
    "cms.blocks",
    "cms.images",
    "cms.api",
    "cms.preview",
    "cms.publishing",
    "cms.media",
    "cms.health",
    "cms.search",
    "cms.scaffold",
    "cms.forms",
    "cms.brand",
    "cms.userbar",
    *(f"{SITES_PACKAGE}.{name}" for name in MORTAR_SITES),
    "wagtail_headless_preview",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail.api.v2",
    "rest_framework",
    "modelcluster",
    "taggit",
    "corsheaders",
    "django_celery_beat",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: load balancers probe /healthz by IP, which ALLOWED_HOSTS would refuse.
    "cms.health.middleware.HealthzMiddleware",
    # Whatever answers a HEAD below, its body is dropped (gunicorn would send it).
    "cms.core.middleware.HeadWithoutBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cms.core.csp.AdminContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cms.core.middleware.CorsMiddleware",  # django-cors-headers', cheaper without an Origin
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.core.middleware.CommonMiddleware",
    "cms.core.middleware.RendererCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.userbar.middleware.EditorCookieMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.health.outages.OutageMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: PostgreSQL through DATABASE_URL, else a SQLite file.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{LOCAL_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    LOCAL_DIR.mkdir(exist_ok=True)
    # runserver, the worker and beat write to one file at once. WAL lets readers run
    # beside the writer; IMMEDIATE takes the write lock when a transaction starts, so a
    # second writer waits (up to `timeout` seconds) instead of failing "database is
    # locked" when a read inside its transaction turns into a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE", "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    })
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A database that hangs must not hold workers: connecting and each statement give up
    # after these many seconds (a statement limit of 0 turns it off, e.g. for a long
    # migration). Errors then answer 503 (cms.health.outages).
    _statement_ms = env.int("DATABASE_STATEMENT_TIMEOUT", default=30) * 1000
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=3),
        "options": f"-c statement_timeout={_statement_ms}",
        # A connection kept open (CONN_MAX_AGE) whose server or network went away: the
        # kernel probes it after 5 s idle, every second, 3 times, and a query whose bytes
        # go unacknowledged for 5 s fails (libpq's keepalives, tcp_user_timeout in ms),
        # instead of waiting for TCP's own limits (two hours, fifteen minutes).
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 1,
        "keepalives_count": 3,
        "tcp_user_timeout": env.int("DATABASE_TCP_USER_TIMEOUT", default=5) * 1000,
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and sessions: Redis through REDIS_URL, else process memory.
REDIS_URL: str = env.str("REDIS_URL", default="")
# Begins every key this CMS writes to Redis (Django's cache, the API's document cache), so
# that deployments sharing one Redis database never read or drop each other's entries.
CACHE_KEY_PREFIX: str = env.str("CACHE_KEY_PREFIX", default="mortar")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis, to carry on without the cache when Redis is unreachable:
            # Wagtail's admin and django-axes read it on every request, and an outage
            # must not turn the admin into 500s (a miss is served; the error is logged).
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 60 * 60 * 24,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                # A Redis that hangs costs a request a quarter of a second, once: then
                # every call is a miss at once for a second (cms.core.redis).
                "SOCKET_CONNECT_TIMEOUT": REDIS_CLIENT_OPTIONS["socket_connect_timeout"],
                "SOCKET_TIMEOUT": REDIS_CLIENT_OPTIONS["socket_timeout"],
                "CONNECTION_POOL_KWARGS": {
                    name: value for name, value in REDIS_CLIENT_OPTIONS.items()
                    if not name.startswith("socket_") or name == "socket_keepalive"},
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # Sessions in the database, read through Redis: editors stay signed in when Redis is not.
    SESSION_ENGINE = "cms.core.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "en"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Wagtail
WAGTAIL_SITE_NAME = env.str("WAGTAIL_SITE_NAME", default="Mortar CMS")
WAGTAILADMIN_BASE_URL: str = env.str("WAGTAILADMIN_BASE_URL", default="http://localhost:8000")
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
# Wagtail's database backend (PostgreSQL full-text search; SQLite FTS5 on the embedded
# default) with its index writes serialized: cms.search.backend says why.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search.backend"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "cms.api.errors.exception_handler",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "filters": {"without_traceback": {"()": "cms.core.logging.WithoutTraceback"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "django_tasks": {"level": "WARNING"},
                "django.tasks": {"level": "WARNING"}, "wagtail": {"level": "WARNING"},
                "django.security.DisallowedHost": {"filters": ["without_traceback"]}},
}


# The WagtailAPIRouter every endpoint of /api/v2/ is registered on (where cms/urls.py puts
# the apps together), as a dotted path: the OpenAPI document is assembled from it. A
# project whose ROOT_URLCONF wraps cms.urls (bench/urls.py) keeps this one.
API_ROUTER = "cms.urls.api_router"

# Seconds a by-path document stays cached at most (changes drop it sooner); 0 turns it off.
API_CACHE_SECONDS: int = env.int("API_CACHE_SECONDS", default=60 * 60)
# Items at most in each level of a site's menu, and links in its footer (api/v2/navigation/).
NAVIGATION_MAX_ITEMS: int = env.int("NAVIGATION_MAX_ITEMS", default=50)
if not 1 <= NAVIGATION_MAX_ITEMS <= 1000:
    raise ImproperlyConfigured("NAVIGATION_MAX_ITEMS must be a whole number from 1 to 1000")
# Seconds one process reuses its last /healthz run (cms.health.views); 0 runs every time.
HEALTH_CHECK_CACHE_SECONDS: float = env.float("HEALTH_CHECK_CACHE_SECONDS", default=5.0)
