"""Which argument values are secrets: declared once, on the models' fields (``Secret[...]``).

Everything else derives from those declarations: what the resource classes mark secret, the
Connection's write-only config arguments, and which values validation messages never quote.
They must agree with the wire's secret fields (what the API treats as write-only).
"""

from __future__ import annotations

from pulumi_mparticle_wsync.models import CONNECTION, DATA_MODEL, FIELD_TRANSFORMATION, PIPELINE


def test_the_declared_secrets() -> None:
    account = ("account", "client_secret")  # every resource's account argument (the API credential)
    assert CONNECTION.secret_paths == (
        account, ("snowflake", "password"), ("bigquery", "service_account_key"), ("redshift", "password"),
    )
    assert PIPELINE.secret_paths == (account, ("partner_feed_key",))
    assert DATA_MODEL.secret_paths == FIELD_TRANSFORMATION.secret_paths == (account,)


def test_only_values_are_secret_outputs_never_a_block() -> None:
    assert CONNECTION.secret_outputs == ()
    assert PIPELINE.secret_outputs == ("partner_feed_key",)


def test_the_declared_secrets_are_the_wires_write_only_fields() -> None:
    assert CONNECTION.schema.wire_secret_paths == (("config", "password"), ("config", "service_account_key"))
    assert PIPELINE.schema.wire_secret_paths == (("partner_feed_key",),)
    assert DATA_MODEL.schema.wire_secret_paths == FIELD_TRANSFORMATION.schema.wire_secret_paths == ()
