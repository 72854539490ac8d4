"""Names in an exported program: variables, Pulumi resource names and secrets' config keys."""

from __future__ import annotations

import keyword
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pulumi_mparticle_wsync.export._names import (
    ObjectKey,
    camel_case,
    resource_names,
    secret_keys,
    snake_case,
    variable_base,
    variable_names,
)

CONNECTION, DATA_MODEL, PIPELINE = (0, "Connection"), (1, "DataModel"), (3, "Pipeline")


def key(kind: tuple[int, str], object_id: str) -> ObjectKey:
    return (kind[0], kind[1], object_id)


@pytest.mark.parametrize(("text", "expected"), [
    ("users-hourly", "users_hourly"),
    ("Prod-SnowflakeV2", "prod_snowflake_v2"),
    ("HTTPServer", "http_server"),
    ("a--b__c", "a_b_c"),
    ("__x__", "x"),
    ("-_-", ""),
])
def test_snake_case(text: str, expected: str) -> None:
    assert snake_case(text) == expected


@pytest.mark.parametrize(("object_id", "kind", "expected"), [
    ("warehouse", "Connection", "warehouse"),
    ("class", "Connection", "class_"),  # a keyword
    ("match", "DataModel", "match_"),  # a soft keyword
    ("type", "Pipeline", "type_"),  # a soft keyword and a builtin
    ("list", "Pipeline", "list_"),  # a builtin
    ("config", "Connection", "config_"),  # the program's own names
    ("mp", "Connection", "mp_"),
    ("pulumi", "Connection", "pulumi_"),
    ("2024-users", "Connection", "connection_2024_users"),  # a leading digit
    ("7", "DataModel", "data_model_7"),
    ("___", "FieldTransformation", "field_transformation"),  # nothing left of the id
])
def test_variable_base(object_id: str, kind: str, expected: str) -> None:
    assert variable_base(object_id, kind) == expected


def test_the_same_id_in_several_kinds_keeps_the_plain_name_for_the_first_kind() -> None:
    objects = [key(CONNECTION, "users"), key(DATA_MODEL, "users"), key(PIPELINE, "users")]
    assert variable_names(objects) == {
        key(CONNECTION, "users"): "users",
        key(DATA_MODEL, "users"): "users_data_model",
        key(PIPELINE, "users"): "users_pipeline",
    }
    assert resource_names(objects) == {
        key(CONNECTION, "users"): "users",
        key(DATA_MODEL, "users"): "users-data-model",
        key(PIPELINE, "users"): "users-pipeline",
    }


def test_ids_that_give_the_same_name_in_one_kind() -> None:
    objects = [key(CONNECTION, "a-b"), key(CONNECTION, "a_b"), key(CONNECTION, "A-B")]
    assert variable_names(objects) == {
        key(CONNECTION, "A-B"): "a_b",  # sorted first ("A" < "a")
        key(CONNECTION, "a-b"): "a_b_connection",
        key(CONNECTION, "a_b"): "a_b_connection_2",
    }
    # Resource names are the ids, which differ.
    assert set(resource_names(objects).values()) == {"a-b", "a_b", "A-B"}


def test_a_plain_name_is_never_taken_by_a_longer_one() -> None:
    objects = [key(CONNECTION, "users"), key(DATA_MODEL, "users"), key(DATA_MODEL, "users_data_model")]
    assert variable_names(objects) == {
        key(CONNECTION, "users"): "users",
        key(DATA_MODEL, "users_data_model"): "users_data_model",
        key(DATA_MODEL, "users"): "users_data_model_2",
    }
    objects = [key(CONNECTION, "users"), key(DATA_MODEL, "users"), key(DATA_MODEL, "users-data-model")]
    assert resource_names(objects)[key(DATA_MODEL, "users")] == "users-data-model-2"


def test_a_keyword_with_its_kind_added() -> None:
    objects = [key(CONNECTION, "class"), key(PIPELINE, "class")]
    assert variable_names(objects) == {key(CONNECTION, "class"): "class_", key(PIPELINE, "class"): "class_pipeline"}


IDS = st.text(alphabet="abcXYZ019-_", min_size=1, max_size=12)
KINDS = st.sampled_from([CONNECTION, DATA_MODEL, (2, "FieldTransformation"), PIPELINE])


@given(st.lists(st.tuples(KINDS, IDS), max_size=25, unique=True))
def test_names_are_distinct_identifiers_whatever_the_ids(objects: list[tuple[tuple[int, str], str]]) -> None:
    keys = [key(kind, object_id) for kind, object_id in objects]
    names = variable_names(keys)
    assert len(set(names.values())) == len(keys)
    for name in names.values():
        assert name.isidentifier() and not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
        assert name not in ("pulumi", "mp", "config")
    assert len(set(resource_names(keys).values())) == len(keys)


@given(st.lists(st.tuples(KINDS, IDS), min_size=1, max_size=25, unique=True), st.randoms())
def test_names_do_not_depend_on_the_listing_order(objects: list[tuple[tuple[int, str], str]],
                                                  shuffler: random.Random) -> None:
    keys = [key(kind, object_id) for kind, object_id in objects]
    shuffled = list(keys)
    shuffler.shuffle(shuffled)
    assert variable_names(shuffled) == variable_names(keys)
    assert resource_names(shuffled) == resource_names(keys)


def test_adding_an_object_renames_no_other_unless_it_asks_for_the_same_name() -> None:
    before = [key(CONNECTION, "warehouse"), key(DATA_MODEL, "users"), key(PIPELINE, "users-hourly")]
    after = [*before, key(CONNECTION, "lake"), key(PIPELINE, "users-daily"), key(PIPELINE, "warehouse")]
    named_before, named_after = variable_names(before), variable_names(after)
    assert {k: named_after[k] for k in before} == named_before
    assert named_after[key(PIPELINE, "warehouse")] == "warehouse_pipeline"


def test_camel_case() -> None:
    assert camel_case(["warehouse", "password"]) == "warehousePassword"
    assert camel_case(["prod_snowflake", "service_account_key"]) == "prodSnowflakeServiceAccountKey"
    assert camel_case(["class_", "password"]) == "classPassword"
    assert camel_case(["connection_2024", "password"]) == "connection2024Password"


def test_secret_keys_are_numbered_when_two_clash() -> None:
    keys = secret_keys([("a", "users_2", "password"), ("b", "users2", "password"), ("c", "lake", "password")])
    assert keys == {"a": "users2Password", "b": "users2Password2", "c": "lakePassword"}
