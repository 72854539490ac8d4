"""Take over objects that already exist in the workspace (created in the mParticle UI).

``pulumi import`` cannot work with dynamic providers, so each resource offers adoption
instead: give the existing object's id as ``resource_id`` and set ``adopt=True``. The first
``pulumi up`` reads the object and updates it to match this program; from then on Pulumi
manages it like any other resource. Remove ``adopt`` afterwards or keep it: it only matters
at creation time.
"""

import pulumi

import pulumi_mparticle_wsync as mp

config = pulumi.Config()

legacy_warehouse = mp.Connection(
    "legacy-warehouse",
    resource_id=config.get("connectionId") or "legacy-warehouse",
    adopt=True,
    name="Legacy warehouse (now managed by Pulumi)",
    databricks=mp.DatabricksConfigArgs(provider="acme-delta-share", catalog="main", schema="crm"),
)

legacy_model = mp.DataModel(
    "legacy-model",
    resource_id=config.get("dataModelId") or "legacy-model",
    adopt=True,
    name="Legacy loyalty model",
    sql_query="SELECT customer_id, loyalty_points, updated_at FROM main.crm.loyalty",
)

pulumi.export("connection_id", legacy_warehouse.id)
pulumi.export("data_model_id", legacy_model.id)
