"""Settings from the environment, and the secret key shared by every server process."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from app.config import Settings, SettingsError, secret_key


def test_the_defaults_are_a_single_user_on_a_laptop(tmp_path):
    settings = Settings.from_env({"ALINEA_INSTANCE": str(tmp_path)})

    assert settings.database_url == f"sqlite:///{tmp_path / 'alinea.db'}"
    assert (settings.auth, settings.local_role, settings.https) == ("auto", "reviewer", False)
    assert (settings.trusted_proxies, settings.session_hours) == (0, 12)


def test_a_team_server_is_configured_by_its_variables(tmp_path):
    settings = Settings.from_env(
        {
            "ALINEA_INSTANCE": str(tmp_path),
            "DATABASE_URL": "postgresql://alinea@db/alinea",
            "ALINEA_AUTH": "LOGIN",
            "ALINEA_LOCAL_ROLE": "editor",
            "ALINEA_HTTPS": "1",
            "ALINEA_TRUSTED_PROXIES": "1",
            "ALINEA_SESSION_HOURS": "8",
            "ALINEA_LOG_LEVEL": "warning",
        }
    )

    assert settings.database_url == "postgresql+psycopg://alinea@db/alinea"
    assert (settings.auth, settings.local_role, settings.https) == ("login", "editor", True)
    assert (settings.trusted_proxies, settings.session_hours) == (1, 8)
    assert settings.log_level == "WARNING"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ALINEA_AUTH", "yes", "ALINEA_AUTH must be one of auto, login, not 'yes'"),
        ("ALINEA_LOCAL_ROLE", "admin", "ALINEA_LOCAL_ROLE must be one of viewer, reviewer"),
        ("ALINEA_HTTPS", "maybe", "ALINEA_HTTPS must be 1 or 0"),
        ("ALINEA_SESSION_HOURS", "0", "ALINEA_SESSION_HOURS must be a whole number of at least 1"),
        ("ALINEA_TRUSTED_PROXIES", "-1", "ALINEA_TRUSTED_PROXIES must be a whole number"),
    ],
)
def test_a_value_that_cannot_be_used_is_refused_by_name(tmp_path, name, value, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({"ALINEA_INSTANCE": str(tmp_path), name: value})


def test_processes_starting_together_share_one_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("ALINEA_SECRET_KEY", raising=False)

    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: secret_key(tmp_path / "instance"), range(32)))

    assert len(keys) == 1
    assert [p.name for p in (tmp_path / "instance").iterdir()] == ["secret_key"]
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_detection_considers_every_known_language_unless_told_otherwise(tmp_path):
    from app.ingest import DEFAULT_LANGUAGES

    for value in (None, "", "all", " ALL "):
        env = {"ALINEA_INSTANCE": str(tmp_path)}
        if value is not None:
            env["ALINEA_LANGUAGES"] = value
        assert Settings.from_env(env).languages == DEFAULT_LANGUAGES
    assert {"is", "hu", "sw"} <= set(DEFAULT_LANGUAGES)


def test_alinea_languages_restricts_detection_to_the_codes_listed(tmp_path):
    from app.ingest import load_text

    env = {"ALINEA_INSTANCE": str(tmp_path), "ALINEA_LANGUAGES": " PT, it ,pt,"}
    settings = Settings.from_env(env)
    spanish = "La señora López dijo que no vendría a la reunión del jueves, porque tenía que cuidar"

    assert settings.languages == ("pt", "it")
    assert load_text(spanish, "a.txt", languages=settings.languages).language in {"pt", "it"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("en,xx", "ALINEA_LANGUAGES: unknown language code 'xx'"),
        (" , ", "ALINEA_LANGUAGES must be 'all' or ISO 639-1 codes"),
    ],
)
def test_alinea_languages_with_an_unknown_code_is_refused_at_start(tmp_path, value, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({"ALINEA_INSTANCE": str(tmp_path), "ALINEA_LANGUAGES": value})
