"""Settings, read from the environment (prefix WIJKSTEM_) or a .env file, declared once here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from difflib import get_close_matches
from pathlib import Path
from typing import Annotated, Literal

from dotenv import dotenv_values
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.sending import Pace
from insights.transcription import Transcriber
from insights.translation import Translator
from locales import available_languages

CommaList = Annotated[tuple[str, ...], NoDecode]
CHANNELS = ("telegram", "whatsapp", "console")


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


class Settings(BaseSettings):
    """Everything Wijkstem can be told from outside."""

    model_config = SettingsConfigDict(
        env_prefix="WIJKSTEM_", env_file=".env", extra="ignore", frozen=True
    )

    telegram_token: SecretStr | None = Field(
        None, description="Bot token from @BotFather; without it `run` opens the console chat."
    )
    telegram_api_url: str = Field(
        "https://api.telegram.org/bot",
        description="Bot API base URL (a self-hosted or fake Bot API server).",
    )
    telegram_webhook_url: str | None = Field(
        None,
        description="Public HTTPS URL of /telegram on this server: Telegram pushes updates there"
        " instead of being polled.",
    )
    telegram_file_url: str | None = Field(
        None, description="Bot API file URL; derived from the API URL when empty."
    )
    whatsapp_token: SecretStr | None = Field(
        None, description="Access token of the WhatsApp Business app (Cloud API). Never logged."
    )
    whatsapp_phone_number_id: str | None = Field(
        None, description="The WhatsApp Business phone number id messages are sent from."
    )
    whatsapp_app_secret: SecretStr | None = Field(
        None, description="The Meta app secret: webhooks are accepted only when signed with it."
    )
    whatsapp_verify_token: SecretStr | None = Field(
        None, description="The token Meta repeats when it checks the webhook URL."
    )
    whatsapp_api_url: str = Field(
        "https://graph.facebook.com",
        description="Graph API base, without the version (a fake one in tests).",
    )
    whatsapp_api_version: str = Field("22.0", description="Graph API version.")
    whatsapp_templates: Path = Field(
        Path("whatsapp-templates.toml"),
        description="Approved message templates per purpose and language (see the README).",
    )
    whatsapp_send_per_second: int = Field(
        20, ge=1, le=80, description="Most WhatsApp messages sent per second."
    )
    whatsapp_send_per_chat_interval: float = Field(
        6.0, ge=0.0, description="Least seconds between two queued messages to one resident."
    )
    whatsapp_daily_cap: int = Field(
        250, ge=1, description="Most templates (residents written to first) a day, Meta's tier."
    )
    web_host: str = Field("127.0.0.1", description="Address the web server (webhooks) listens on.")
    web_port: int = Field(8080, ge=0, le=65535, description="Port of the web server (0: any).")
    translate_url: str | None = Field(
        None,
        description="A LibreTranslate-compatible service: quotes in reports and /review get a"
        " machine translation.",
    )
    translate_key: SecretStr | None = Field(
        None, description="API key of the translation service, if it wants one. Never logged."
    )
    translate_timeout: float = Field(
        10.0, gt=0, description="Seconds the translation service may take per quote."
    )
    transcribe_url: str | None = Field(
        None,
        description="An OpenAI-compatible /v1/audio/transcriptions service: voice notes are"
        " written down, tagged and quoted like typed words.",
    )
    transcribe_key: SecretStr | None = Field(
        None, description="API key of the transcription service, if it wants one. Never logged."
    )
    transcribe_model: str = Field("whisper-1", description="The model the service is asked for.")
    inhabitants: Path = Field(
        Path("inhabitants.toml"),
        description="Inhabitants per neighbourhood, with their source, for the report's reach.",
    )
    db: Path = Field(
        Path("var/wijkstem.sqlite3"),
        description="The SQLite database file, when WIJKSTEM_DATABASE_URL is not set.",
    )
    database_url: SecretStr | None = Field(
        None,
        description="The database: sqlite:///var/wijkstem.sqlite3 (a relative file; four"
        " slashes for an absolute one) or postgresql://user:password@host/db. Its password,"
        " if any, is never logged.",
    )
    keys: Path | None = Field(
        None,
        description="The file of each person's key, which /forget destroys: beside a SQLite"
        " database by default (var/wijkstem.keys.sqlite3), var/<database>.keys.sqlite3 for"
        " PostgreSQL. Shared by every process; never inside the database or its backups.",
    )
    models: Path = Field(
        Path("var/models"), description="Folder of trained tagger models; the newest is used."
    )
    default_language: str = Field("nl", description="Language for people not yet asked.")
    neighbourhoods: CommaList = Field(
        ("pottenberg", "nazareth"), description="Neighbourhoods residents choose from."
    )
    workers: CommaList = Field(
        (),
        description="Community workers, as `telegram:123`, `whatsapp:…` or `console:local`"
        " (digits alone are a Telegram user id).",
    )
    team: CommaList = Field((), description="The programme team, named as the workers are.")
    send_per_second: int = Field(
        30, ge=1, le=30, description="Most messages sent per second over all chats."
    )
    send_per_chat_interval: float = Field(
        1.0, ge=0.0, description="Least seconds between two messages to one chat."
    )
    sending_lease: float = Field(
        60.0,
        ge=2.0,
        description="Seconds a message being sent is reserved for its sender; one interrupted"
        " by a crash goes again once they passed.",
    )
    reply_patience: float = Field(
        120.0,
        gt=0.0,
        description="Seconds a reply is retried before it is kept and tried again later.",
    )
    reminder_time: time = Field(
        time(18, 0), description="When the day-before reminder of an event goes (HH:MM)."
    )
    retrain_time: time = Field(
        time(3, 0), description="When the nightly training of the tagger's model runs (HH:MM)."
    )
    retrain_min_new: int = Field(
        50,
        description="Labels confirmed since the last model that start a nightly training"
        " (0: never).",
    )
    language_detector: Literal["lingua", "lingua-light", "lingua-low", "langdetect"] = Field(
        "lingua-light",
        description="Language detection backend: lingua-light (short texts decided again among"
        " the best three, the models of the five languages needed last kept, about 180 MiB),"
        " lingua (all models kept, about 320 MiB), lingua-low (about 25 MiB, less sure of"
        " two-word texts) or langdetect.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="How much the bot logs."
    )

    @field_validator("neighbourhoods", "workers", "team", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip().lower() for part in value.split(",") if part.strip())
        return value

    @field_validator("workers", "team")
    @classmethod
    def _people(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        people = []
        for person in value:
            channel, sep, user_id = person.partition(":")
            if not sep:
                channel, user_id = "", person
            if not channel and user_id.isdigit():
                channel = "telegram"  # as the setting was written before channels were named
            if channel not in CHANNELS or not user_id:
                raise ValueError(
                    f"{person!r} is not a person: write telegram:123, whatsapp:… or console:local"
                )
            people.append(f"{channel}:{user_id}")
        return tuple(people)

    @field_validator("neighbourhoods")
    @classmethod
    def _some_neighbourhood(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("name at least one neighbourhood")
        return value

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in available_languages():
            raise ValueError(f"{value!r} has no catalogue; choose from {available_languages()}")
        return value

    @property
    def database(self) -> str:
        """The database URL: WIJKSTEM_DATABASE_URL, else the SQLite file WIJKSTEM_DB."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{self.db}"

    @property
    def telegram_pace(self) -> Pace:
        """How fast the Telegram outbox is sent, and its lease."""
        return Pace(self.send_per_second, self.send_per_chat_interval, lease=self.sending_lease)

    @property
    def whatsapp_pace(self) -> Pace:
        """How fast the WhatsApp outbox is sent, and its lease."""
        return Pace(
            self.whatsapp_send_per_second,
            self.whatsapp_send_per_chat_interval,
            lease=self.sending_lease,
        )

    @property
    def file_url(self) -> str:
        """Where files are downloaded from: set explicitly, or next to the API URL."""
        if self.telegram_file_url:
            return self.telegram_file_url
        base, _sep, tail = self.telegram_api_url.rstrip("/").rpartition("/")
        return f"{base}/file/{tail}"

    @property
    def translator(self) -> Translator | None:
        """The translation service the settings name, if any."""
        if not self.translate_url:
            return None
        key = self.translate_key.get_secret_value() if self.translate_key else None
        return Translator(self.translate_url, key, self.translate_timeout)

    @property
    def transcriber(self) -> Transcriber | None:
        """The transcription service the settings name, if any."""
        if not self.transcribe_url:
            return None
        key = self.transcribe_key.get_secret_value() if self.transcribe_key else None
        return Transcriber(self.transcribe_url, key, self.transcribe_model)

    @property
    def whatsapp(self) -> bool:
        """Whether every WhatsApp setting is there (else WhatsApp is not served)."""
        return None not in (
            self.whatsapp_token,
            self.whatsapp_phone_number_id,
            self.whatsapp_app_secret,
            self.whatsapp_verify_token,
        )

    @property
    def roles(self) -> dict[str, str]:
        """Person (`telegram:123`) to role, team over worker."""
        return {user_id: "worker" for user_id in self.workers} | {
            user_id: "team" for user_id in self.team
        }


def misspelt_settings(environ: Mapping[str, str], env_file: Path = Path(".env")) -> list[str]:
    """One warning line for each WIJKSTEM_ name that is no setting, naming the closest one."""
    known = [f"WIJKSTEM_{name.upper()}" for name in Settings.model_fields]
    given = [*environ, *(dotenv_values(env_file) if env_file.is_file() else {})]
    warnings = []
    for name in dict.fromkeys(n for n in given if n.upper().startswith("WIJKSTEM_")):
        if name.upper() in known:
            continue
        closest = get_close_matches(name.upper(), known, n=1, cutoff=0.6)
        hint = f"; did you mean {closest[0]}?" if closest else ""
        warnings.append(f"wijkstem: warning: {name} is not a setting and is ignored{hint}")
    return warnings


def load_settings() -> Settings:
    """Read the settings, or raise SettingsError naming the first bad one."""
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = "WIJKSTEM_" + str(first["loc"][0]).upper() if first["loc"] else "WIJKSTEM_*"
        raise SettingsError(f"setting {name} is invalid: {first['msg']}") from None
