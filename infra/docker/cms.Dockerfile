# syntax=docker/dockerfile:1
# The CMS image: one image for the api (gunicorn), the Celery worker and Celery beat;
# docker-compose.yml picks the command. Build from the repository root:
#   docker build -f infra/docker/cms.Dockerfile -t mortar-cms .
ARG PYTHON_VERSION=3.12

# --- build: resolve and install the dependencies declared in pyproject.toml -------------
FROM python:${PYTHON_VERSION}-slim-trixie AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# pyproject.toml first: the dependency layer is rebuilt only when it changes.
COPY pyproject.toml ./
COPY cms ./cms
COPY sites ./sites
RUN pip install .

# --- runtime: the virtualenv and the source, nothing else ----------------------------
FROM python:${PYTHON_VERSION}-slim-trixie AS runtime
# psycopg2-binary brings its own libpq; postgresql-client is for infra/backup.sh and
# infra/restore.sh. Trixie's client is PostgreSQL 17, the compose stack's server: pg_dump
# must not be older than the server it dumps.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 mortar \
 && useradd --system --uid 10001 --gid mortar --home-dir /app --shell /usr/sbin/nologin mortar
COPY --from=build /opt/venv /opt/venv
# PYTHONPATH: the source tree in /app comes first, so its templates and static files are
# the ones Django finds, whatever the wheel installed in /opt/venv packaged.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=cms.settings \
    STATIC_ROOT=/app/static \
    MEDIA_ROOT=/app/media \
    PYTHONPATH=/app
WORKDIR /app
COPY --chown=mortar:mortar manage.py pyproject.toml ./
COPY --chown=mortar:mortar cms ./cms
COPY --chown=mortar:mortar sites ./sites
COPY --chown=mortar:mortar infra/backup.sh infra/restore.sh infra/media_manifest.py ./infra/
# Named volumes are mounted over these; they inherit this ownership when first created.
RUN mkdir -p /app/static /app/media /app/.local \
 && chown mortar:mortar /app/static /app/media /app/.local
USER mortar
EXPOSE 8000
# The api's command; docker-compose.yml runs migrate and collectstatic before it.
CMD ["gunicorn", "cms.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*", "--limit-request-line", "0"]
