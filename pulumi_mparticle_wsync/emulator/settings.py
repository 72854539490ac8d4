"""Start-up settings of the emulator and their documented demo defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8484
MEMORY_DATABASE: Final = ":memory:"
DEFAULT_CLIENT_ID: Final = "emulator-client"
DEFAULT_CLIENT_SECRET: Final = "emulator-secret"  # a demo value, printed on start-up
DEFAULT_USER_EMAIL: Final = "demo@emulator.local"
DEFAULT_TOKEN_LIFETIME_SECONDS: Final = 28800  # 8 hours, as mParticle's tokens [C]
MAX_BODY_BYTES: Final = 1024 * 1024

CLIENT_ID_ENV: Final = "MPARTICLE_EMULATOR_CLIENT_ID"
CLIENT_SECRET_ENV: Final = "MPARTICLE_EMULATOR_CLIENT_SECRET"

# Who an out-of-band edit (``/_emulator`` edit, "someone in the mParticle UI") is attributed to.
UI_USER_EMAIL: Final = "ui-user@emulator.local"


@dataclass(frozen=True)
class EmulatorSettings:
    """Everything the emulator needs to start; the CLI builds one from its arguments."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    data_path: str = MEMORY_DATABASE
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = field(default=DEFAULT_CLIENT_SECRET, repr=False)
    user_email: str = DEFAULT_USER_EMAIL
    token_lifetime_seconds: int = DEFAULT_TOKEN_LIFETIME_SECONDS
