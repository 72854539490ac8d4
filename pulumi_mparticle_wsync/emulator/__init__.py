"""A local emulator of mParticle's Warehouse Sync API v2 (``shared/spec/warehouse-sync-api.md``).

It serves the API under ``/platform/v2/workspaces/{workspaceId}/...`` and the token endpoint at
``/oauth/token`` on one loopback port, keeps state in SQLite, and adds test controls under
``/_emulator/`` (reset, request log, out-of-band edits, clock, token expiry, switches, faults).

Entry points: ``mparticle-wsync emulator`` (``cli.py``), ``EmulatorServer`` (``server.py``, in a
thread), ``create_emulator`` (``app.py``, the ASGI app and its state), ``EmulatorControl`` (``control.py``, the
control client) and ``EmulatorHandle`` (``testing.py``, what the ``emulator`` pytest fixture yields).
Nothing heavy is imported here, so ``import pulumi_mparticle_wsync.emulator`` stays cheap.
"""
