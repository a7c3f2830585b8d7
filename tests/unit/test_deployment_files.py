"""Static checks of the deployment files: Dockerfile, .dockerignore, docker-compose.yml, .env.example.

No Docker engine runs in CI, so the files are parsed and checked here instead of built and started.
The compose environment is fed through ``core.settings.Settings`` so a misspelt BRIEFGRAPH_* variable
(which pydantic-settings would silently ignore) fails a test.
"""

from __future__ import annotations

import fnmatch
import importlib.metadata
import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from core.settings import GraphBackend, Settings

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"

STORES = ("neo4j", "qdrant")
APP_SERVICES = ("api", "ingest")

# What an operator's .env would hold (dummy values).
HOST_ENV: dict[str, str] = {
    "NEO4J_PASSWORD": "dummy-password-123",
    "BRIEFGRAPH_WRITE_KEYS": '["key-one","key-two"]',
}

_PREFIX = Settings.model_config.get("env_prefix") or ""
_DELIMITER = Settings.model_config.get("env_nested_delimiter") or "__"

# ${NAME}, ${NAME-default}, ${NAME:-default}, ${NAME?err}, ${NAME:?err}, ${NAME+alt}, ${NAME:+alt}
_BRACED = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}")
_UNBRACED = re.compile(r"\$[A-Za-z_]")
_ESCAPED_DOLLAR = "\x00"


# ------------------------------------------------------------ helpers


class InterpolationError(ValueError):
    """A required variable (``${NAME:?message}``) is missing."""


def interpolate(value: str, env: Mapping[str, str]) -> str:
    """Substitute compose-style ``${...}`` placeholders from ``env`` ("$$" is a literal "$")."""
    text = value.replace("$$", _ESCAPED_DOLLAR)

    def replace(match: re.Match[str]) -> str:
        name, op, arg = match.group("name"), match.group("op"), match.group("arg") or ""
        current = env.get(name)
        if op is None:
            if current is None:
                raise InterpolationError(f"{name} is used without a default and is not set in the test env")
            return current
        is_set = current is not None and (current != "" or not op.startswith(":"))
        if op.endswith("-"):
            return current if is_set and current is not None else arg
        if op.endswith("?"):
            if not is_set or current is None:
                raise InterpolationError(f"{name}: {arg}")
            return current
        return arg if is_set else ""  # "+" / ":+"

    assert not _UNBRACED.search(_BRACED.sub("", text)), f"unbraced $VAR in {value!r}: write ${{VAR}}"
    return _BRACED.sub(replace, text).replace(_ESCAPED_DOLLAR, "$")


def load_compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "docker-compose.yml must be a mapping"
    return data


def services() -> dict[str, dict[str, Any]]:
    svc = load_compose().get("services")
    assert isinstance(svc, dict), "docker-compose.yml has no 'services' mapping"
    return svc


def service_environment(service: Mapping[str, Any]) -> dict[str, str]:
    """A service's environment as raw (uninterpolated) strings; accepts the mapping and the list form."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        pairs = (str(item).split("=", 1) for item in env)
        return {p[0]: (p[1] if len(p) > 1 else "") for p in pairs}
    assert isinstance(env, dict)
    return {str(k): _env_value(v) for k, v in env.items()}


def _env_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # YAML true/false; compose wants them quoted anyway
        return str(value).lower()
    return str(value)


def interpolated_environment(service_name: str, env: Mapping[str, str] = HOST_ENV) -> dict[str, str]:
    return {k: interpolate(v, env) for k, v in service_environment(services()[service_name]).items()}


def settings_from(env: Mapping[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Build Settings from exactly ``env`` (other BRIEFGRAPH_* variables of the test process removed)."""
    for key in list(os.environ):
        if key.upper().startswith(_PREFIX.upper()):
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Settings()


def settings_field_exists(var: str) -> bool:
    """True when ``var`` (e.g. BRIEFGRAPH_GRAPH__NEO4J_URI) names a real Settings field path."""
    if not var.upper().startswith(_PREFIX.upper()):
        return False
    parts = var[len(_PREFIX) :].lower().split(_DELIMITER.lower())
    model: type[BaseModel] = Settings
    for index, part in enumerate(parts):
        field = model.model_fields.get(part)
        if field is None:
            return False
        if index == len(parts) - 1:
            return True
        annotation = field.annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return False
        model = annotation
    return False


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with line continuations joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    buffer = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            buffer += line[:-1].strip() + " "
            continue
        logical = buffer + line
        buffer = ""
        keyword, _, rest = logical.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    assert not buffer, "Dockerfile ends inside a line continuation"
    return instructions


def dockerfile_args(keyword: str) -> list[str]:
    return [rest for kw, rest in dockerfile_instructions() if kw == keyword]


def dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for rest in dockerfile_args("ENV"):
        tokens = shlex.split(rest)
        if tokens and "=" not in tokens[0]:  # legacy "ENV KEY value"
            env[tokens[0]] = rest.split(None, 1)[1] if len(tokens) > 1 else ""
            continue
        for token in tokens:
            key, sep, value = token.partition("=")
            assert sep, f"ENV token without '=': {token!r}"
            env[key] = value
    return env


def dockerignore_patterns() -> list[str]:
    lines = DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
    return [line.strip().rstrip("/") for line in lines if line.strip() and not line.strip().startswith("#")]


def dockerignored(path: str) -> bool:
    """Rough .dockerignore matcher (last matching pattern wins; '!' re-includes)."""
    ignored = False
    for pattern in dockerignore_patterns():
        negate = pattern.startswith("!")
        pat = pattern[1:] if negate else pattern
        pat = pat.removeprefix("/")
        if fnmatch.fnmatch(path, pat) or path.startswith(pat + "/") or fnmatch.fnmatch(path, pat + "/*"):
            ignored = not negate
    return ignored


def healthcheck_test(service: Mapping[str, Any]) -> list[str]:
    healthcheck = service.get("healthcheck")
    assert isinstance(healthcheck, dict), "no healthcheck"
    assert not healthcheck.get("disable"), "healthcheck disabled"
    test = healthcheck.get("test")
    if isinstance(test, str):
        return ["CMD-SHELL", test]
    assert isinstance(test, list), "healthcheck.test must be a list or a string"
    assert test, "healthcheck.test is empty"
    assert test[0] in {"CMD", "CMD-SHELL"}, f"healthcheck.test must start with CMD or CMD-SHELL: {test!r}"
    return [str(t) for t in test]


def _check_healthz_probe(code: str) -> None:
    """The python -c probe compiles and asks /healthz on port 8000 through urllib."""
    compile(code, "<healthcheck>", "exec")
    assert "urllib.request" in code
    assert "http://127.0.0.1:8000/healthz" in code
    assert "timeout=" in code


def image_tag(service_name: str) -> tuple[str, str]:
    image = services()[service_name].get("image")
    assert isinstance(image, str), f"{service_name} has no image"
    name, sep, tag = image.split("@", 1)[0].rpartition(":")  # a digest may follow the tag
    assert sep, f"{service_name}: image {image!r} is not pinned to a tag"
    assert "/" not in tag, f"{service_name}: image {image!r} is not pinned to a tag"
    return name, tag


# ------------------------------------------------------------ compose: services and images


def test_compose_has_the_four_services() -> None:
    assert set(services()) >= {"neo4j", "qdrant", "api", "ingest"}


def test_neo4j_image_is_official_526_lts() -> None:
    name, tag = image_tag("neo4j")
    assert name == "neo4j", f"not the official image: {name}"
    assert tag != "latest"
    match = re.fullmatch(r"5\.(\d+)(?:\.\d+)?(?:-(community|enterprise))?(?:-[a-z]+)?", tag)
    assert match, f"neo4j tag {tag!r} is not a 5.x version tag"
    assert int(match.group(1)) >= 26, f"neo4j {tag!r}: use the 5.26 LTS line"
    assert match.group(2) in {None, "community"}, "Community edition expected"


def test_qdrant_image_is_official_and_pinned_v1() -> None:
    name, tag = image_tag("qdrant")
    assert name == "qdrant/qdrant", f"not the official image: {name}"
    assert tag != "latest"
    assert re.fullmatch(r"v1\.\d+\.\d+", tag), f"qdrant tag {tag!r} should be a concrete v1.x.y"


def test_qdrant_server_is_within_the_clients_compatibility_window() -> None:
    try:
        client_version = importlib.metadata.version("qdrant-client")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("qdrant-client not installed")
    _, tag = image_tag("qdrant")
    server_major, server_minor = (int(p) for p in tag.lstrip("v").split(".")[:2])
    client_major, client_minor = (int(p) for p in client_version.split(".")[:2])
    # qdrant-client warns when majors differ or minors are more than one apart.
    assert server_major == client_major
    assert abs(server_minor - client_minor) <= 1, (
        f"qdrant server {tag} vs qdrant-client {client_version}: keep the minor versions within one"
    )


def test_published_ports_are_bound_to_localhost() -> None:
    published = 0
    for name, service in services().items():
        for port in service.get("ports") or []:
            published += 1
            if isinstance(port, dict):
                assert port.get("host_ip") == "127.0.0.1", f"{name}: {port!r} not bound to 127.0.0.1"
            else:
                parts = str(port).split(":")
                assert len(parts) == 3, f"{name}: {port!r} does not name the host address"
                assert parts[0] == "127.0.0.1", f"{name}: {port!r} not bound to 127.0.0.1"
    assert published >= 4  # 7474, 7687, 6333, 8000


def test_expected_ports_are_published() -> None:
    svc = services()
    assert "127.0.0.1:7474:7474" in svc["neo4j"]["ports"]
    assert "127.0.0.1:7687:7687" in svc["neo4j"]["ports"]
    assert "127.0.0.1:6333:6333" in svc["qdrant"]["ports"]
    assert "127.0.0.1:8000:8000" in svc["api"]["ports"]


def test_stores_keep_data_in_named_volumes() -> None:
    compose = load_compose()
    declared = set((compose.get("volumes") or {}).keys())
    expected = {"neo4j": "/data", "qdrant": "/qdrant/storage"}
    for name, target in expected.items():
        mounts = [str(v) for v in services()[name].get("volumes") or []]
        named = [m for m in mounts if m.split(":")[1:2] == [target]]
        assert named, f"{name}: nothing mounted on {target}"
        source = named[0].split(":")[0]
        assert source in declared, f"{name}: {source!r} is not a declared named volume"


@pytest.mark.parametrize("store", STORES)
def test_stores_have_healthchecks(store: str) -> None:
    test = healthcheck_test(services()[store])
    assert " ".join(test[1:]).strip()


def test_qdrant_healthcheck_needs_no_curl_or_wget() -> None:
    joined = " ".join(healthcheck_test(services()["qdrant"]))
    assert "curl" not in joined, "the qdrant image has no curl"
    assert "wget" not in joined, "the qdrant image has no wget"
    assert "/dev/tcp/127.0.0.1/6333" in joined


def test_neo4j_auth_requires_the_password_variable() -> None:
    auth = service_environment(services()["neo4j"])["NEO4J_AUTH"]
    assert interpolate(auth, HOST_ENV) == f"neo4j/{HOST_ENV['NEO4J_PASSWORD']}"
    with pytest.raises(InterpolationError):
        interpolate(auth, {})  # ${NEO4J_PASSWORD:?...}: compose refuses to start without it


def test_neo4j_memory_is_configured() -> None:
    env = interpolated_environment("neo4j")
    for key in (
        "NEO4J_server_memory_heap_initial__size",
        "NEO4J_server_memory_heap_max__size",
        "NEO4J_server_memory_pagecache_size",
    ):
        assert re.fullmatch(r"\d+[kKmMgG]?", env.get(key, "")), f"{key} missing or not a size"


# ------------------------------------------------------------ compose: api and ingest


@pytest.mark.parametrize("service_name", APP_SERVICES)
def test_app_services_wait_for_healthy_stores(service_name: str) -> None:
    depends_on = services()[service_name].get("depends_on")
    assert isinstance(depends_on, dict), f"{service_name}: depends_on must use the long form with conditions"
    for store in STORES:
        assert store in depends_on, f"{service_name} does not depend on {store}"
        assert depends_on[store].get("condition") == "service_healthy", f"{service_name} -> {store}"


@pytest.mark.parametrize("service_name", APP_SERVICES)
def test_app_services_build_the_local_image(service_name: str) -> None:
    build = services()[service_name].get("build")
    context = build.get("context") if isinstance(build, dict) else build
    assert context in {".", "./"}, f"{service_name} should build from the repository root"


def test_api_service() -> None:
    api = services()["api"]
    assert api.get("restart") == "unless-stopped"
    assert "profiles" not in api, "api must start with a plain 'docker compose up'"
    test = healthcheck_test(api)
    assert test[:3] == ["CMD", "python", "-c"], "api healthcheck: python urllib (no curl in slim)"
    _check_healthz_probe(test[3])


def test_ingest_service_is_a_one_off_job() -> None:
    ingest = services()["ingest"]
    assert ingest.get("profiles") == ["ingest"]
    assert ingest.get("command") == ["briefgraph", "ingest", "/briefs"]
    assert str(ingest.get("restart")) in {"no", "False"}
    assert "ports" not in ingest
    mounts = [str(v) for v in ingest.get("volumes") or []]
    assert "./examples/briefs:/briefs:ro" in mounts
    assert (ROOT / "examples" / "briefs").is_dir()


def test_api_and_ingest_share_the_same_environment() -> None:
    assert service_environment(services()["api"]) == service_environment(services()["ingest"])


@pytest.mark.parametrize("service_name", APP_SERVICES)
def test_every_briefgraph_variable_names_a_settings_field(service_name: str) -> None:
    names = [k for k in service_environment(services()[service_name]) if k.upper().startswith(_PREFIX)]
    assert names, f"{service_name} sets no {_PREFIX}* variables"
    unknown = [name for name in names if not settings_field_exists(name)]
    assert not unknown, f"{service_name}: no such settings field for {unknown}"


def test_field_path_check_catches_typos() -> None:
    assert settings_field_exists("BRIEFGRAPH_GRAPH__NEO4J_URI")
    assert settings_field_exists("BRIEFGRAPH_DATA_DIR")
    assert not settings_field_exists("BRIEFGRAPH_GRAPH__NEO4J_URL")
    assert not settings_field_exists("BRIEFGRAPH_GRAPH_BACKEND")  # single underscore
    assert not settings_field_exists("BRIEFGRAPH_DATA_DIR__X")  # not a nested model
    assert not settings_field_exists("NEO4J_AUTH")


@pytest.mark.parametrize("service_name", APP_SERVICES)
def test_compose_environment_builds_neo4j_and_qdrant_server_settings(
    service_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {**dockerfile_env(), **interpolated_environment(service_name)}
    settings = settings_from(env, monkeypatch)
    assert settings.graph.backend is GraphBackend.NEO4J
    assert settings.graph.neo4j_uri == "bolt://neo4j:7687"
    assert settings.graph.neo4j_user == "neo4j"
    assert settings.graph.neo4j_password is not None
    assert settings.graph.neo4j_password.get_secret_value() == HOST_ENV["NEO4J_PASSWORD"]
    assert settings.vector.url == "http://qdrant:6333"
    assert [k.get_secret_value() for k in settings.api.write_keys] == ["key-one", "key-two"]
    # From the image:
    assert settings.api.host == "0.0.0.0"
    assert settings.api.port == 8000
    assert settings.data_dir == Path("/data")


def test_write_keys_default_to_an_empty_list(monkeypatch: pytest.MonkeyPatch) -> None:
    host_env = {k: v for k, v in HOST_ENV.items() if k != "BRIEFGRAPH_WRITE_KEYS"}
    settings = settings_from(interpolated_environment("api", host_env), monkeypatch)
    assert settings.api.write_keys == []


def test_env_example_covers_every_compose_variable() -> None:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*([A-Za-z_][A-Za-z0-9_]*)=", text, flags=re.MULTILINE))
    used = {m.group("name") for m in _BRACED.finditer(COMPOSE_FILE.read_text(encoding="utf-8"))}
    assert used <= documented, f".env.example lacks {sorted(used - documented)}"
    required = {
        m.group("name")
        for m in _BRACED.finditer(COMPOSE_FILE.read_text(encoding="utf-8"))
        if (m.group("op") or "").endswith("?")
    }
    active = set(re.findall(r"^([A-Za-z_][A-Za-z0-9_]*)=", text, flags=re.MULTILINE))
    assert required <= active, f".env.example must set the required {sorted(required - active)}"


def test_env_example_write_keys_are_a_json_list() -> None:
    match = re.search(r"^BRIEFGRAPH_WRITE_KEYS=(.*)$", ENV_EXAMPLE.read_text(encoding="utf-8"), re.MULTILINE)
    assert match
    value = match.group(1).strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    keys = json.loads(value)
    assert isinstance(keys, list)
    assert all(isinstance(k, str) and k for k in keys)


# ------------------------------------------------------------ Dockerfile and .dockerignore


def test_dockerfile_base_image() -> None:
    froms = dockerfile_args("FROM")
    assert froms, "no FROM"
    assert froms[-1].split()[0].startswith("python:3.11"), f"final stage is {froms[-1]!r}"


def test_dockerfile_runs_as_non_root() -> None:
    users = dockerfile_args("USER")
    assert users, "no USER: the container would run as root"
    user = users[-1].split(":")[0].strip()
    assert user not in {"root", "0"}, f"final USER is {users[-1]!r}"


def test_dockerfile_environment() -> None:
    env = dockerfile_env()
    assert env.get("PIP_NO_CACHE_DIR") == "1"
    assert env.get("HF_HUB_OFFLINE") == "1"
    assert env.get("BRIEFGRAPH_API__HOST") == "0.0.0.0"
    assert env.get("BRIEFGRAPH_DATA_DIR") == "/data"
    unknown = [k for k in env if k.startswith(_PREFIX) and not settings_field_exists(k)]
    assert not unknown, f"Dockerfile sets unknown settings {unknown}"


def test_dockerfile_exposes_8000_and_declares_data_volume() -> None:
    exposed = {p.split("/")[0] for rest in dockerfile_args("EXPOSE") for p in rest.split()}
    assert "8000" in exposed
    volumes = " ".join(dockerfile_args("VOLUME"))
    assert "/data" in volumes


def test_dockerfile_healthcheck_uses_python_urllib() -> None:
    checks = dockerfile_args("HEALTHCHECK")
    assert len(checks) == 1
    _, sep, command = checks[0].partition("CMD ")
    assert sep, "HEALTHCHECK without CMD"
    exec_form = json.loads(command)
    assert isinstance(exec_form, list)
    assert exec_form[:2] == ["python", "-c"], "exec form: python -c ..."
    _check_healthz_probe(exec_form[2])


def test_dockerfile_cmd_serves() -> None:
    cmds = dockerfile_args("CMD")
    assert cmds, "no CMD"
    assert json.loads(cmds[-1]) == ["briefgraph", "serve"]
    assert not dockerfile_args("ENTRYPOINT"), "compose overrides the command for ingest: no ENTRYPOINT"


def test_dockerfile_installs_the_project() -> None:
    runs = " ".join(dockerfile_args("RUN"))
    assert re.search(r"pip install \.(\s|$)", runs), "expected 'pip install .'"


def _copy_sources() -> list[str]:
    sources: list[str] = []
    for rest in dockerfile_args("COPY") + dockerfile_args("ADD"):
        if rest.startswith("["):
            tokens = [str(t) for t in json.loads(rest)]
        else:
            tokens = [t for t in shlex.split(rest) if not t.startswith("--")]
        assert len(tokens) >= 2, f"COPY without source and destination: {rest!r}"
        sources.extend(t.removeprefix("./").rstrip("/") for t in tokens[:-1])
    return sources


def test_dockerfile_copies_every_top_level_package() -> None:
    sources = set(_copy_sources())
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file() and p.name != "tests"}
    assert packages >= {"graph_schema", "core", "ingest", "services", "briefgraph"}
    assert packages <= sources, f"Dockerfile does not copy {sorted(packages - sources)}"
    assert {"pyproject.toml", "README.md"} <= sources


def test_dockerfile_copy_sources_exist_and_are_not_dockerignored() -> None:
    sources = _copy_sources()
    missing = [s for s in sources if not (ROOT / s).exists()]
    assert not missing, f"COPY sources missing from the repository (docker build would fail): {missing}"
    ignored = [s for s in sources if dockerignored(s)]
    assert not ignored, f"COPY sources excluded by .dockerignore: {ignored}"


def test_dockerignore_excludes_local_state_and_secrets() -> None:
    for path in (".venv", ".git", "data", ".env", "tests/neo4j_harness/target", "core/__pycache__"):
        assert dockerignored(path), f".dockerignore should exclude {path}"
    for path in ("pyproject.toml", "README.md", "core/settings.py", "graph_schema/data", "examples/briefs"):
        assert not dockerignored(path), f".dockerignore should not exclude {path}"


# ------------------------------------------------------------ docker compose itself, if present


def _docker_compose_usable() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        probe = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


@pytest.mark.skipif(not _docker_compose_usable(), reason="docker compose plugin not available")
def test_docker_compose_config_accepts_the_file() -> None:
    # 'docker compose config' only parses and interpolates: it needs no Docker engine.
    env = {**os.environ, **HOST_ENV}
    result = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE_FILE), "--profile", "ingest", "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
