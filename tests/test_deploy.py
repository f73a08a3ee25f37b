"""deploy/ (compose.yaml, its Dockerfile, Traefik's configuration, .env.example, secrets.toml.example) is read the way
Docker Compose and Traefik would read it, since no container engine runs here: the YAML parses, every file it names
exists, the ports and names agree from the image to the proxy, the settings that must match across the replicas do
and the one that must differ does, and every variable it needs is in .env.example."""

from __future__ import annotations

import re
import shlex
import tomllib

import pytest
import yaml  # PyYAML, pinned in requirements-dev.txt

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
APPS = ("app1", "app2")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions (continuation lines joined, comments left out)."""
    text = re.sub(r"\\\n\s*", " ", (DEPLOY / "Dockerfile").read_text())
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _instructions(dockerfile, name: str) -> list[str]:
    return [args for kind, args in dockerfile if kind == name]


def _env(service: dict) -> dict[str, str]:
    return {k: str(v) for k, v in (service.get("environment") or {}).items()}


def test_the_services_and_what_they_run(compose):
    services = compose["services"]
    assert set(services) == {"db", "migrate", *APPS, "proxy"}
    for name in ("migrate", *APPS):
        build = services[name]["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == (DEPLOY / "Dockerfile").resolve()
    # the one-shot migration is a command of the planner's own command line, which it accepts
    command = services["migrate"]["command"]
    assert command[:3] == ["python", "-m", "planner"]
    from planner.cli import build_parser
    build_parser().parse_args(command[3:])
    for name in APPS:
        after = services[name]["depends_on"]["migrate"]["condition"]
        assert after == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "healthcheck" in services["db"]


def test_the_image_copies_files_that_exist_and_serves_on_its_port(compose, dockerfile):
    context = (DEPLOY / compose["services"]["app1"]["build"]["context"]).resolve()
    assert context == ROOT
    for args in _instructions(dockerfile, "COPY"):
        *sources, _target = shlex.split(args)
        for source in sources:
            assert (context / source).exists(), source
    installed = " ".join(_instructions(dockerfile, "RUN"))
    assert "pip install -r requirements.txt" in installed and "fonts-dejavu-core" in installed
    cmd = _instructions(dockerfile, "CMD")[-1]
    assert '"streamlit", "run", "app.py"' in cmd
    port = re.search(r"--server\.port=(\d+)", cmd).group(1)
    assert _instructions(dockerfile, "EXPOSE") == [port]
    assert f"127.0.0.1:{port}/_stcore/health" in _instructions(dockerfile, "HEALTHCHECK")[0]
    assert _instructions(dockerfile, "WORKDIR") == ["/app"]
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert {".venv", "data/.cache", "deploy/secrets.toml", "deploy/.env"} <= set(ignored)


def test_the_proxy_reaches_both_replicas_on_their_port_sticky_and_checked(compose, dockerfile):
    services = compose["services"]
    proxy = services["proxy"]
    static_target, dynamic_target = "/etc/traefik/traefik.yaml", "/etc/traefik/dynamic.yaml"
    mounts = {}
    for volume in proxy["volumes"]:
        source, target, *_mode = volume.split(":")
        assert (DEPLOY / source).is_file(), source
        mounts[target] = DEPLOY / source
    assert f"--configFile={static_target}" in proxy["command"]
    static = yaml.safe_load(mounts[static_target].read_text())
    assert static["providers"]["file"]["filename"] == dynamic_target
    entry = static["entryPoints"]["web"]["address"]
    published = proxy["ports"][0].rsplit(":", 1)[1]
    assert entry == f":{published}"
    dynamic = yaml.safe_load(mounts[dynamic_target].read_text())
    router = dynamic["http"]["routers"]["planner"]
    assert router["entryPoints"] == ["web"]
    lb = dynamic["http"]["services"][router["service"]]["loadBalancer"]
    assert lb["sticky"]["cookie"]["name"]  # Streamlit keeps a session (and its uploads) in one process
    assert lb["healthCheck"]["path"] == "/_stcore/health"
    port = re.search(r"--server\.port=(\d+)", _instructions(dockerfile, "CMD")[-1]).group(1)
    assert sorted(s["url"] for s in lb["servers"]) == [f"http://{name}:{port}" for name in APPS]
    assert set(proxy["depends_on"]) == set(APPS)


def test_what_must_match_across_replicas_does_and_what_must_differ_does(compose, dockerfile):
    services = compose["services"]
    envs = [_env(services[name]) for name in APPS]
    for key in ("DATABASE_URL", "STREAMLIT_SERVER_COOKIE_SECRET", "STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION"):
        assert envs[0][key] == envs[1][key] and envs[0][key], key
    assert envs[0]["STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION"] == "true"
    assert len({e["PLANNER_REPLICA"] for e in envs}) == 2  # whose build of a pitch file the database names
    assert _env(services["migrate"])["DATABASE_URL"] == envs[0]["DATABASE_URL"]
    # the variables are the ones Streamlit reads for its options
    from streamlit import config
    config.get_config_options()
    options = {o.env_var: name for name, o in config._config_options.items()}
    assert options["STREAMLIT_SERVER_COOKIE_SECRET"] == "server.cookieSecret"
    assert options["STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION"] == "server.enableXsrfProtection"
    # one secrets file (st.login's [auth] with its cookie_secret) mounted where Streamlit reads it, for both
    workdir = _instructions(dockerfile, "WORKDIR")[0]
    for name in APPS:
        mounted = services[name]["secrets"]
        assert mounted == [{"source": "streamlit_secrets", "target": f"{workdir}/.streamlit/secrets.toml"}]
    assert compose["secrets"]["streamlit_secrets"]["file"] == "./secrets.toml"
    example = tomllib.loads((DEPLOY / "secrets.toml.example").read_text())
    assert {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"} <= set(
        example["auth"])
    ignored = (ROOT / ".gitignore").read_text().split()
    assert {"deploy/.env", "deploy/secrets.toml"} <= set(ignored)  # the real values are never committed


def test_the_database_url_names_the_database_service(compose):
    services = compose["services"]
    db = _env(services["db"])
    url = _env(services["app1"])["DATABASE_URL"]
    m = re.fullmatch(r"postgresql://(\w+):\$\{(\w+)[^}]*\}@(\w+):5432/(\w+)", url)
    assert m, url
    user, password_var, host, database = m.groups()
    assert (user, host, database) == (db["POSTGRES_USER"], "db", db["POSTGRES_DB"])
    assert db["POSTGRES_PASSWORD"].startswith("${" + password_var)
    for volume in [*services["db"]["volumes"], *services["app1"]["volumes"]]:
        assert volume.split(":")[0] in compose["volumes"]


def test_every_variable_compose_reads_is_in_env_example(compose):
    used = set(re.findall(r"\$\{(\w+)", (DEPLOY / "compose.yaml").read_text()))
    example = {line.split("=", 1)[0] for line in (DEPLOY / ".env.example").read_text().splitlines()
               if "=" in line and not line.lstrip().startswith("#")}
    assert used and used <= example, used - example
