"""The deployment files: docker-compose.yml, the Dockerfile and .dockerignore.

No Docker engine runs here, so the files are checked as data: the Compose file against the
Compose Specification's JSON schema (tests/data/README.md says where it comes from), and every
command the containers run against the `hindsight` command tree, parsed by its own click parser.
"""

import json
import re
import shlex
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from jsonschema import Draft201909Validator
from limits.storage import RedisStorage
from typer.core import TyperGroup

import app.cli
from app.config import Settings
from app.ratelimit import make_limiter

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = Path(__file__).resolve().parent / "data" / "compose-spec.json"
PROGRAM = "hindsight"
APP_SERVICES = ("migrate", "api", "scheduler")
DATABASE_URL = "postgresql+psycopg://hindsight:hindsight@postgres:5432/hindsight"
REDIS_URL = "redis://redis:6379/0"
VARIABLE = re.compile(r"\$(?:(?P<escaped>\$)|\{(?P<name>\w+)(?::?-(?P<default>[^}]*))?\})")


def _default(match: re.Match[str]) -> str:
    if match["escaped"]:
        return "$"
    assert match["default"] is not None, f"${{{match['name']}}} has no default"
    return match["default"]


def interpolate(value: Any) -> Any:
    """The value as Compose reads it with no variables set: `${NAME:-default}` becomes default."""
    if isinstance(value, dict):
        return {key: interpolate(item) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item) for item in value]
    if isinstance(value, str):
        return VARIABLE.sub(_default, value)
    return value


def load_compose() -> dict[str, Any]:
    """docker-compose.yml, merge keys resolved and variables at their defaults."""
    compose: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return interpolate(compose)


COMPOSE = load_compose()
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]


def argv(command: str | list[str]) -> list[str]:
    """A Compose or Dockerfile command as the argument vector the container runs."""
    return shlex.split(command) if isinstance(command, str) else list(command)


def resolve(args: list[str]) -> None:
    """Parse `hindsight *args` as the CLI would, without running it; fail if anything is unknown."""
    command = typer.main.get_command(app.cli.app)
    context = typer.Context(command, info_name=PROGRAM)
    words = list(args)
    while isinstance(command, TyperGroup) and words and not words[0].startswith("-"):
        name = words.pop(0)
        found = command.get_command(context, name)
        if found is None:
            pytest.fail(f"`{context.command_path}` has no command {name!r}")
        command = found
        context = typer.Context(command, parent=context, info_name=name)
    if isinstance(command, TyperGroup):
        pytest.fail(f"`{context.command_path}` is a group, not a command")
    try:
        command.make_context(context.info_name, words, parent=context.parent)
    except Exception as exc:  # click's UsageError, which Typer 0.2x vendors as its own class
        pytest.fail(f"`{PROGRAM} {shlex.join(args)}`: {exc}")


def option_value(args: list[str], option: str) -> str:
    """The value given to `--option value` or `--option=value`."""
    for index, word in enumerate(args):
        if word == option:
            return args[index + 1]
        if word.startswith(f"{option}="):
            return word.partition("=")[2]
    raise AssertionError(f"{option} is not given in {shlex.join(args)}")


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), one list per build stage."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, arguments = line.partition(" ")
        if keyword.upper() == "FROM":
            stages.append([])
        stages[-1].append((keyword.upper(), arguments.strip()))
    return stages


FINAL_STAGE = dockerfile_stages()[-1]


def instructions(keyword: str) -> list[str]:
    """The arguments of every `keyword` instruction in the final stage."""
    return [arguments for name, arguments in FINAL_STAGE if name == keyword]


def image_command() -> list[str]:
    """What the image runs when Compose names no command: ENTRYPOINT then CMD, in exec form."""
    entrypoint = [json.loads(found) for found in instructions("ENTRYPOINT")[-1:]]
    cmd = [json.loads(found) for found in instructions("CMD")[-1:]]
    return [*(entrypoint[0] if entrypoint else []), *(cmd[0] if cmd else [])]


def compose_validator() -> Draft201909Validator:
    """A validator for the vendored Compose schema, which declares draft 2019-09.

    Named outright: jsonschema does not recognise the schema's spelling of that draft's URI.
    """
    schema = json.loads(SCHEMA.read_text())
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema)


def test_compose_file_follows_the_compose_specification() -> None:
    errors = sorted(compose_validator().iter_errors(COMPOSE), key=lambda e: list(e.path))
    problems = [f"{'.'.join(map(str, error.path)) or '(top)'}: {error.message}" for error in errors]
    assert not problems, "\n".join(problems)


def test_the_schema_rejects_a_misspelt_key() -> None:
    broken = {
        "services": {"api": {"image": "hindsight", "depends_on": {"migrate": {"condtion": "x"}}}}
    }
    assert not compose_validator().is_valid(broken)


def test_compose_runs_postgres_redis_a_migration_the_api_and_the_scheduler() -> None:
    assert set(SERVICES) == {"postgres", "redis", *APP_SERVICES}


def test_redis_keeps_nothing_on_disk_and_has_a_readiness_check() -> None:
    redis = SERVICES["redis"]
    assert redis["image"].startswith("redis:7")
    command = argv(redis["command"])
    assert command[0] == "redis-server"
    assert option_value(command, "--save") == ""
    assert option_value(command, "--appendonly") == "no"
    assert "volumes" not in redis
    assert redis["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


@pytest.mark.parametrize("service", ["api", "scheduler"])
def test_the_api_and_scheduler_share_rate_limits_in_redis(service: str) -> None:
    spec = SERVICES[service]
    assert spec["environment"]["HINDSIGHT_REDIS_URL"] == REDIS_URL
    assert spec["depends_on"]["redis"]["condition"] == "service_healthy"
    assert spec["environment"]["HINDSIGHT_TRUSTED_PROXIES"] == ""


def test_the_compose_redis_url_is_one_the_app_opens() -> None:
    limiter = make_limiter(Settings(redis_url=REDIS_URL))
    assert isinstance(limiter.storage, RedisStorage)
    assert limiter.storage.storage.connection_pool.connection_kwargs["host"] == "redis"


def test_postgres_is_version_16_on_a_named_volume_with_a_readiness_check() -> None:
    postgres = SERVICES["postgres"]
    assert postgres["image"].startswith("postgres:16")
    volume = postgres["volumes"][0].partition(":")[0]
    assert volume in COMPOSE["volumes"]
    assert "pg_isready" in postgres["healthcheck"]["test"]


@pytest.mark.parametrize("service", APP_SERVICES)
def test_the_app_services_reach_postgres_through_the_environment(service: str) -> None:
    environment = SERVICES[service]["environment"]
    assert environment["HINDSIGHT_DATABASE_URL"] == DATABASE_URL
    assert environment["HINDSIGHT_PUBLIC_READS"] == "true"
    assert "HINDSIGHT_BASE_URL" in environment


def test_migrate_runs_once_when_postgres_is_healthy() -> None:
    migrate = SERVICES["migrate"]
    assert argv(migrate["command"]) == [PROGRAM, "db", "upgrade"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate["restart"] == "no"


@pytest.mark.parametrize("service", ["api", "scheduler"])
def test_the_long_running_services_wait_for_the_migration_to_succeed(service: str) -> None:
    condition = SERVICES[service]["depends_on"]["migrate"]["condition"]
    assert condition == "service_completed_successfully"


def test_the_api_serves_on_all_interfaces_with_several_workers() -> None:
    command = argv(SERVICES["api"]["command"])
    assert command[:2] == [PROGRAM, "serve"]
    assert option_value(command, "--host") == "0.0.0.0"
    assert int(option_value(command, "--workers")) > 1


def test_the_api_healthcheck_probes_healthz_with_the_standard_library() -> None:
    test = SERVICES["api"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    assert "/healthz" in test[3]
    compile(test[3], "healthcheck", "exec")


def test_the_scheduler_runs_a_single_replica() -> None:
    scheduler = SERVICES["scheduler"]
    assert argv(scheduler["command"])[:2] == [PROGRAM, "scheduler"]
    assert scheduler["deploy"]["replicas"] == 1


@pytest.mark.parametrize("service", [name for name, spec in SERVICES.items() if "build" in spec])
def test_every_compose_command_exists_in_the_cli(service: str) -> None:
    command = argv(SERVICES[service].get("command", image_command()))
    assert command[0] == PROGRAM
    resolve(command[1:])


def test_the_image_runs_as_a_user_other_than_root() -> None:
    users = instructions("USER")
    assert users, "the final stage sets no USER, so it runs as root"
    assert users[-1].partition(":")[0] not in {"root", "0"}


def test_the_image_command_is_a_hindsight_command() -> None:
    command = image_command()
    assert command[0] == PROGRAM
    resolve(command[1:])


def test_the_image_holds_the_migrations_beside_the_package() -> None:
    copied = " ".join(instructions("COPY"))
    for path in ("pyproject.toml", "README.md", "alembic.ini", "app", "migrations"):
        assert path in copied.split(), f"the Dockerfile does not copy {path}"


def test_the_image_installs_the_nlp_extra_so_extraction_reads_the_parse() -> None:
    installs = [shlex.split(run) for run in instructions("RUN") if "pip install" in run]
    targets = [word for args in installs for word in args if word.startswith(".")]
    assert ".[nlp]" in targets, f"the image installs {targets}, not the nlp extra"


def test_dockerignore_keeps_everything_the_dockerfile_copies() -> None:
    patterns = (ROOT / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in patterns if line.strip() and not line.startswith("#")]
    for copy in instructions("COPY"):
        *sources, _destination = copy.split()
        for source in (word for word in sources if not word.startswith("--")):
            ignored = False
            for pattern in patterns:
                if fnmatch(source, pattern.removeprefix("!")):
                    ignored = not pattern.startswith("!")
            assert not ignored, f".dockerignore leaves {source} out of the build context"
