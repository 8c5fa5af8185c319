"""docker-compose.yml and the images it builds, checked without a Docker engine.

This machine has the Docker CLI but neither an engine nor the compose plugin, so the
file is parsed here: the services of the architecture, their commands, ports, health
checks and start order, and the environment the CMS gets from it, which must pass
`check --deploy`. Where `docker compose` exists, it validates the file too.
"""

import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cms.testing.processes import REPO

COMPOSE = REPO / "docker-compose.yml"
DOCKER = REPO / "infra" / "docker"
TEMPLATE = REPO / "infra" / "nginx" / "mortar.conf.template"
DOT_ENV = {"SECRET_KEY": "k" * 20 + secrets.token_urlsafe(40),
           "REVALIDATE_SECRET": secrets.token_urlsafe(24)}
CMS_SERVICES = ("migrate", "api", "celery-worker", "celery-beat")
RENDERERS = ("web-1", "web-2")


class MissingVariable(Exception):
    pass


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's variable syntax: $$, ${X}, ${X:-default}, ${X-default}, ${X:?error},
    ${X:+replacement}."""
    out, i = [], 0
    while i < len(text):
        if text.startswith("$$", i):
            out.append("$")
            i += 2
        elif text.startswith("${", i):
            depth, j = 1, i + 2
            while depth:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            out.append(expand(text[i + 2:j - 1], env))
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def expand(expression: str, env: dict[str, str]) -> str:
    match = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?", expression, re.S)
    assert match, f"not a compose variable: ${{{expression}}}"
    name, operator, rest = match.groups()
    value = env.get(name)
    unset = value is None or (operator is not None and operator.startswith(":") and not value)
    if operator and operator.endswith("-") and unset:
        return interpolate(rest, env)
    if operator and operator.endswith("+"):
        return "" if unset else interpolate(rest, env)
    if operator and operator.endswith("?") and unset:
        raise MissingVariable(f"{name}: {rest}")
    return value or ""


def resolve(node: object, env: dict[str, str]) -> object:
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, list):
        return [resolve(item, env) for item in node]
    if isinstance(node, dict):
        return {key: resolve(value, env) for key, value in node.items()}
    return node


def load(env: dict[str, str] | None = None) -> dict:
    return resolve(yaml.safe_load(COMPOSE.read_text()), DOT_ENV if env is None else env)


@pytest.fixture(scope="module")
def services() -> dict:
    return load()["services"]


def command_line(service: dict) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else command


def test_the_services_of_the_architecture(services):
    assert set(services) == {"nginx", "postgres", "redis", "redis-cache", "minio", "minio-init",
                             "migrate", "api", "celery-worker", "celery-beat", *RENDERERS,
                             "cache", "prometheus"}  # prometheus: profile `monitoring`
    # Scaled out: two CMS instances (one service, replicas) and two renderers sharing
    # one renderer cache in Redis; one worker, one beat.
    assert services["api"]["deploy"]["replicas"] == 2
    assert "deploy" not in services["celery-worker"] or \
        services["celery-worker"]["deploy"].get("replicas", 1) == 1


def test_ports_published_on_the_host(services):
    assert services["nginx"]["ports"] == ["80:80", "443:443"]
    assert services["api"]["ports"] == ["127.0.0.1:8010-8011:8000"]  # one per replica
    assert services["web-1"]["ports"] == ["127.0.0.1:3010:3000"]
    assert services["web-2"]["ports"] == ["127.0.0.1:3011:3000"]
    for name in ("postgres", "redis", "redis-cache", "minio", "celery-worker", "celery-beat",
                 "cache"):
        assert "ports" not in services[name], f"{name} must stay on the internal network"


def test_migrations_and_static_files_run_once_before_gunicorn(services):
    line = command_line(services["migrate"])
    migrate = line.index("manage.py migrate --noinput")
    collect = line.index("manage.py collectstatic --noinput")
    policy = line.index("manage.py bucket_policy --apply")  # documents stay private
    assert migrate < collect < policy
    assert "&&" in line[migrate:policy]  # a failed migration fails the release step
    # Every replica starts only once that step has succeeded.
    assert services["api"]["depends_on"]["migrate"]["condition"] == \
        "service_completed_successfully"
    line = command_line(services["api"])
    assert "exec gunicorn cms.wsgi:application" in line and "migrate" not in line
    assert re.search(r"--workers 3\b", line)
    assert "--bind 0.0.0.0:8000" in line


def test_one_worker_image_and_exactly_one_beat(services):
    images = {services[name]["image"] for name in CMS_SERVICES}
    builds = {services[name]["build"]["dockerfile"] for name in CMS_SERVICES}
    assert len(images) == 1 and builds == {"infra/docker/cms.Dockerfile"}
    assert command_line(services["celery-worker"]).startswith("celery -A cms worker")
    beat = command_line(services["celery-beat"])
    assert beat.startswith("celery -A cms beat")
    assert "--scheduler django_celery_beat.schedulers:DatabaseScheduler" in beat
    assert services["celery-beat"]["deploy"]["replicas"] == 1
    for name in RENDERERS:
        assert services[name]["build"]["dockerfile"] == "infra/docker/web.Dockerfile"


def test_health_checks(services):
    checks = {name: " ".join(s["healthcheck"]["test"]) for name, s in services.items()
              if "healthcheck" in s}
    assert set(checks) == {"postgres", "redis", "redis-cache", "minio", "api", "celery-worker",
                           *RENDERERS, "cache"}
    assert "pg_isready" in checks["postgres"]
    assert "redis-cli ping" in checks["redis"]
    assert "http://127.0.0.1:8000/healthz" in checks["api"]
    assert all("fetch('http://127.0.0.1:3000/')" in checks[name] for name in RENDERERS)
    assert "inspect ping" in checks["celery-worker"]


def test_start_order_waits_on_health_not_on_start(services):
    for name, service in services.items():
        for dependency, rule in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            condition = rule["condition"]
            if condition == "service_healthy":
                assert "healthcheck" in services[dependency], f"{dependency} has no check"
            else:
                assert condition == "service_completed_successfully"
                assert dependency in ("minio-init", "migrate")
    # Migrations run once, first: whatever uses the database waits for them.
    for name in ("api", "celery-worker", "celery-beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == \
            "service_completed_successfully"
    for name in RENDERERS:
        assert services[name]["depends_on"]["api"]["condition"] == "service_healthy"
    # nginx reaches the renderers through the HTTP cache.
    assert set(services["nginx"]["depends_on"]) == {"api", "cache", "minio"}
    assert set(services["cache"]["depends_on"]) == set(RENDERERS)
    assert set(services["migrate"]["depends_on"]) == {"postgres", "redis", "minio-init"}


def test_named_volumes_for_database_media_and_static():
    compose = load()
    declared = set(compose["volumes"])
    used = {volume.split(":")[0] for service in compose["services"].values()
            for volume in service.get("volumes", []) if not volume.startswith(".")}
    assert used == declared == {"postgres-data", "redis-data", "media", "static"}
    mounts = {name: service.get("volumes", []) for name, service in compose["services"].items()}
    assert "postgres-data:/var/lib/postgresql/data" in mounts["postgres"]
    assert "media:/data" in mounts["minio"]
    assert "static:/app/static" in mounts["api"]
    for volume in (v for vs in mounts.values() for v in vs if v.startswith(".")):
        assert (REPO / volume.split(":")[0]).exists(), f"bind mount missing: {volume}"


def test_secrets_come_from_dot_env():
    with pytest.raises(MissingVariable, match="SECRET_KEY"):
        load({"REVALIDATE_SECRET": "x" * 20})
    with pytest.raises(MissingVariable, match="REVALIDATE_SECRET"):
        load({"SECRET_KEY": "x" * 50})
    custom = load({**DOT_ENV, "SITE_HOSTNAME": "www.example.org", "POSTGRES_PASSWORD": "pw"})
    api = custom["services"]["api"]["environment"]
    assert api["ALLOWED_HOSTS"].split(",")[0] == "www.example.org"
    assert api["DATABASE_URL"] == "postgres://mortar:pw@postgres:5432/mortar"
    assert api["AWS_S3_CUSTOM_DOMAIN"] == "www.example.org/media"
    assert custom["services"]["nginx"]["environment"]["MORTAR_SERVER_NAME"] == "www.example.org"


def test_a_second_site_is_its_hostname_in_extra_site_hostnames(tmp_path):
    one = load()
    assert one["services"]["nginx"]["environment"]["MORTAR_SERVER_NAME"] == "lcl.example.com"
    two = load({**DOT_ENV, "EXTRA_SITE_HOSTNAMES": "docs.lcl.example.com"})
    nginx = two["services"]["nginx"]["environment"]
    assert nginx["MORTAR_SERVER_NAME"] == "lcl.example.com docs.lcl.example.com"
    # One certificate for both: make-cert.sh's names every *.lcl.example.com.
    assert nginx["MORTAR_TLS_CERT"] == "/etc/nginx/certs/lcl.example.com.crt"
    for service in ("api", "celery-worker", "celery-beat"):
        env = two["services"][service]["environment"]
        assert env["ALLOWED_HOSTS"] == "lcl.example.com docs.lcl.example.com,api,127.0.0.1"
    # The CMS reads that as both hostnames, and still passes its production checks.
    env = {key: str(value) for key, value in two["services"]["api"]["environment"].items()}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import "
         "settings; print(settings.ALLOWED_HOSTS)"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", **env, "DJANGO_SETTINGS_MODULE": "cms.settings",
             "STATIC_ROOT": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(["lcl.example.com", "docs.lcl.example.com", "api",
                                         "127.0.0.1"])


def test_every_cms_process_gets_the_same_configuration(services):
    api = services["api"]["environment"]
    for name in ("celery-worker", "celery-beat"):
        env = dict(services[name]["environment"])
        if name == "celery-worker":
            # Revalidation goes through the HTTP cache to whichever renderer is up (they
            # share one cache), not through nginx.
            assert env.pop("FRONTEND_URL") == "http://cache:80"
            env["FRONTEND_URL"] = api["FRONTEND_URL"]
        assert env == api
    for name in RENDERERS:
        assert services[name]["environment"]["REVALIDATE_SECRET"] == api["REVALIDATE_SECRET"]
        assert services[name]["environment"]["CMS_API_URL"] == "http://api:8000"


def test_the_cms_environment_passes_check_deploy(services, tmp_path):
    env = {key: str(value) for key, value in services["api"]["environment"].items()}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", **env, "STATIC_ROOT": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    # Silenced: Django's security.W003, which takes our CSRF middleware (a subclass of
    # Django's) for none; mortar.W001 checks for it instead (cms.core.checks).
    assert "no issues (1 silenced)" in result.stdout


def test_nginx_gets_every_template_variable(services):
    nginx = services["nginx"]
    placeholders = set(re.findall(r"\$\{(MORTAR_[A-Z_]+)\}", TEMPLATE.read_text()))
    given = {key for key in nginx["environment"] if key.startswith("MORTAR_")}
    assert given == placeholders
    assert nginx["environment"]["NGINX_ENVSUBST_FILTER"] == "^MORTAR_"
    assert ("./infra/nginx/mortar.conf.template:/etc/nginx/templates/default.conf.template:ro"
            in nginx["volumes"])
    assert nginx["environment"]["MORTAR_MEDIA_PROXY"] == "http://minio:9000/mortar-media/"


def final_stage(dockerfile: Path) -> str:
    text = dockerfile.read_text()
    assert len(re.findall(r"^FROM ", text, re.M)) >= 2, "multi-stage build expected"
    return text[text.rindex("\nFROM "):]


def test_the_cms_image(services):
    dockerfile = DOCKER / "cms.Dockerfile"
    runtime = final_stage(dockerfile)
    assert "-slim" in runtime.splitlines()[1]
    assert re.search(r"^USER mortar$", runtime, re.M)
    assert "RUN pip install ." in dockerfile.read_text()
    for line in re.findall(r"^COPY (.+)$", dockerfile.read_text(), re.M):
        if "--from=" in line:
            continue
        *sources, _destination = [word for word in line.split() if not word.startswith("--")]
        for path in sources:
            assert (REPO / path).exists(), f"COPY of a missing path: {path}"


def test_the_renderer_image():
    dockerfile = DOCKER / "web.Dockerfile"
    runtime = final_stage(dockerfile)
    assert "-slim" in runtime.splitlines()[1]
    assert re.search(r"^USER node$", runtime, re.M)
    assert "/web/.next/standalone" in runtime
    assert 'CMD ["node", "server.js"]' in runtime


def test_build_contexts_leave_secrets_and_local_state_out():
    for name in ("cms", "web"):
        ignore = (DOCKER / f"{name}.Dockerfile.dockerignore").read_text().splitlines()
        assert "*" in ignore, f"{name}: start from nothing and add what the image needs"
    web = (DOCKER / "web.Dockerfile.dockerignore").read_text().splitlines()
    assert {"web/node_modules", "web/.next"} <= set(web)
    root = (REPO / ".dockerignore").read_text().splitlines()
    for private in (".env", ".local", ".venv", ".git", "web/node_modules", "infra/nginx/certs"):
        assert private in root


def test_docker_compose_accepts_the_file():
    docker = shutil.which("docker")
    if not docker or subprocess.run([docker, "compose", "version"], capture_output=True
                                    ).returncode != 0:
        pytest.skip("the docker compose plugin is not installed here")
    result = subprocess.run([docker, "compose", "-f", str(COMPOSE), "config", "--quiet"],
                            cwd=REPO, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin",
                                                                           **DOT_ENV})
    assert result.returncode == 0, result.stderr


def test_caches_and_the_broker_live_in_two_redis(services):
    """The caches' Redis is bounded and evicts (only keys with an expiry); the broker's
    never evicts: a cache anyone can fill never takes the queues with it."""
    env = services["api"]["environment"]
    cache_url, broker_url = env["REDIS_URL"], env["CELERY_BROKER_URL"]
    assert cache_url.startswith("redis://redis-cache:") and broker_url.startswith("redis://redis:")
    assert all(services[name]["environment"]["REDIS_URL"].startswith("redis://redis-cache:")
               for name in RENDERERS)
    cache = command_line(services["redis-cache"])
    assert "--maxmemory 256mb" in cache
    assert "--maxmemory-policy volatile-lru" in cache
    assert "--maxmemory-policy noeviction" in command_line(services["redis"])
