"""The production stack in the repo: compose.yaml, deploy/gunicorn.conf.py, deploy/jobs.sh.

No Docker daemon runs here, so compose.yaml is checked against the compose-spec JSON schema
(shipped by check-jsonschema) and for the structure the docs promise.
"""

from __future__ import annotations

import copy
import json
import re
import runpy
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands
from gunicorn.config import Config

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def compose_errors(document: dict[str, Any]) -> list[str]:
    schema_file = resources.files("check_jsonschema") / "builtin_schemas/vendor/compose-spec.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [error.message for error in validator.iter_errors(document)]


def test_compose_file_is_valid_by_the_compose_spec_schema(compose: dict[str, Any]) -> None:
    assert compose_errors(compose) == []


def test_the_schema_check_catches_a_misspelt_key(compose: dict[str, Any]) -> None:
    broken = copy.deepcopy(compose)
    broken["services"]["app"]["healthchek"] = broken["services"]["app"].pop("healthcheck")
    assert compose_errors(broken)


def test_compose_runs_the_documented_stack(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"db", "meilisearch", "redis", "migrate", "app", "jobs"} <= set(services)
    app = services["app"]
    assert app["command"][:3] == ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
    assert app["environment"]["DJANGO_SETTINGS_MODULE"] == "website.settings.production"
    assert app["environment"]["DATABASE_URL"].startswith("postgres://")
    assert app["environment"]["REDIS_URL"].startswith("redis://redis:")
    assert app["environment"]["MEILISEARCH_URL"] == "http://meilisearch:7700"
    assert "media:/data/media" in app["volumes"]
    assert app["healthcheck"]["test"][-2:] == ["manage.py", "healthcheck"]
    dockerfile = ROOT / app["build"]["dockerfile"]
    assert dockerfile.is_file()


def test_scheduled_jobs_are_commands_that_exist(compose: dict[str, Any]) -> None:
    script = compose["services"]["jobs"]["command"][-1]
    jobs = re.findall(r"manage\.py (\w+)", (ROOT / script).read_text(encoding="utf-8"))
    assert {"backup", "search_reindex"} <= set(jobs)
    assert set(jobs) <= set(get_commands())


def test_gunicorn_config_is_accepted_and_keeps_query_strings_out_of_the_log() -> None:
    values = runpy.run_path(str(ROOT / "deploy/gunicorn.conf.py"))
    config = Config()
    for name, value in values.items():
        if name in config.settings:
            config.set(name, value)  # gunicorn validates each value
    assert config.workers >= 3
    assert config.timeout > 0
    log_format = config.access_log_format
    assert "%(U)s" in log_format
    for atom in ("%(r)s", "%(q)s", "%(f)s", "%(a)s", "%(h)s", "{raw_uri}e", "{query_string}e"):
        assert atom not in log_format
