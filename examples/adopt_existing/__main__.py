"""Take over objects that already exist in the workspace (created in the mParticle UI).

``pulumi import`` cannot work with dynamic providers, so each resource offers adoption
instead: give the existing object's id as ``resource_id`` and set ``adopt=True``. The first
``pulumi up`` reads the object and updates it to match this program; from then on Pulumi
manages it like any other resource. Remove ``adopt`` afterwards or keep it: it only matters
at creation time.

Objects another team manages stay theirs: ``mp.get_data_model`` reads one for its values (the
lookup runs at every preview and up), and ``mp.DataModel.get`` records one in the stack as a
read-only resource that ``pulumi refresh`` updates and ``pulumi destroy`` never deletes.
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

team_model_id = config.get("teamDataModelId") or "team-model"
team_model = mp.get_data_model(team_model_id)
team_model_in_stack = mp.DataModel.get("team-model", team_model_id)

pulumi.export("connection_id", legacy_warehouse.id)
pulumi.export("data_model_id", legacy_model.id)
pulumi.export("team_model_sql", team_model.apply(lambda model: model.sql_query))
pulumi.export("team_model_state", team_model_in_stack.state)
