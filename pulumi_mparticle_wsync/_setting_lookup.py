"""Where one provider setting comes from: the Pulumi config key, else its ``MPARTICLE_*`` variable.

Outside ``client/`` so that ``diff``, which works offline and never loads the HTTP client, can
read a single setting (``mparticle:workspaceId``) the same way ``load_settings`` reads them all.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from . import _constants as c


def setting_value(
    lookup: Callable[[str], Any] | None, key: str, environ: Mapping[str, str] | None = None
) -> str | None:
    """``lookup(key)``, else the environment variable of ``key``; stripped, and ``None`` when blank."""
    value = lookup(key) if lookup is not None else None
    if value is None or value == "":
        value = (os.environ if environ is None else environ).get(c.ENV_VARS[key])
    if value is None:
        return None
    return str(value).strip() or None
