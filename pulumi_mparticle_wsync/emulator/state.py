"""Everything one running emulator holds: store, clock, switches, faults, request log, services."""

from __future__ import annotations

import threading

from .auth import TokenAuthority
from .clock import Clock
from .faults import FaultSet
from .requestlog import RequestLog
from .service import WarehouseSyncService
from .settings import EmulatorSettings
from .store import Store
from .switches import Switches

CLOCK_OFFSET_KEY = "clock_offset_seconds"


class EmulatorState:
    def __init__(self, settings: EmulatorSettings) -> None:
        self.settings = settings
        self.store = Store(settings.data_path)
        saved_offset = self.store.get_meta(CLOCK_OFFSET_KEY)
        self.clock = Clock(float(saved_offset) if saved_offset else 0.0)
        self.default_switches = Switches(token_lifetime_seconds=settings.token_lifetime_seconds)
        self._switches = self.default_switches
        self._switches_lock = threading.Lock()
        self.faults = FaultSet()
        self.log = RequestLog()
        self.service = WarehouseSyncService(self.store, self.clock, self.switches, settings.user_email)
        self.auth = TokenAuthority(
            self.store,
            self.clock,
            settings.client_id,
            settings.client_secret,
            lambda: self.switches().token_lifetime_seconds,
        )

    def switches(self) -> Switches:
        with self._switches_lock:
            return self._switches

    def set_switches(self, changes: dict[str, object]) -> Switches:
        with self._switches_lock:
            self._switches = self._switches.updated(changes)
            return self._switches

    def advance_clock(self, seconds: float) -> float:
        offset = self.clock.advance(seconds)
        self.store.set_meta(CLOCK_OFFSET_KEY, repr(offset))
        return offset

    def reset(self) -> None:
        """Back to a fresh start: no objects, runs, run settings (durations, next-run outcomes, data
        model rows), faults, log entries or switch changes; clock at real time. Issued tokens stay
        valid so clients that cached one keep working."""
        self.store.clear()
        self.clock.set_offset(0.0)
        with self._switches_lock:
            self._switches = self.default_switches
        self.faults.clear()
        self.log.clear()

    def close(self) -> None:
        self.store.close()
