"""What loading the provider imports: ``refresh``, ``destroy`` and a preview without changes never
import pydantic (issue 15).

A fresh process does what the dynamic provider host does in those operations: it unpickles the
provider from its ``__provider`` string, configures it, and calls ``read`` and then ``delete``
against the test's emulator, and ``check`` of the inputs the engine recorded. pydantic (about
150 ms of CPU at start-up) is only for validating new or changed inputs (``check``, ``create``,
``update``), so it must not be in ``sys.modules`` afterwards; a ``check`` of new inputs in the same
process then does import it, and still validates.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from pulumi.dynamic.dynamic import serialize_provider

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.resources import DataModelProvider

from ..models import samples
from .conftest import Providers, stack_config
from .helpers import engine_props, stored

CHILD = textwrap.dedent(
    """
    import base64, json, sys
    import dill
    from pulumi.dynamic import Config, ConfigureRequest

    reference, config, object_id, outs = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4])
    recorded = {**json.loads(sys.argv[5]), "__provider": reference}
    provider = dill.loads(base64.b64decode(reference))
    after_load = "pydantic" in sys.modules
    provider.configure(ConfigureRequest(Config(config, "test-project")))
    read = provider.read(object_id, {**outs, "__provider": reference})
    provider.delete(object_id, {**(read.outs or {}), "__provider": reference})
    after_delete = "pydantic" in sys.modules
    unchanged = provider.check(recorded, recorded)
    after_unchanged_check = "pydantic" in sys.modules
    problems = provider.check({}, {"name": 5, "__provider": reference}).failures
    print(json.dumps({"after_load": after_load, "after_delete": after_delete, "read_id": read.id,
                      "after_unchanged_check": after_unchanged_check, "unchanged_failures": len(unchanged.failures),
                      "after_check": "pydantic" in sys.modules, "check_failures": len(problems)}))
    """
)


def test_refresh_destroy_and_an_unchanged_check_do_not_import_pydantic(
    providers: Providers, emulator: EmulatorHandle
) -> None:
    inputs = samples.data_model()
    created = providers.data_model.create(engine_props(inputs))
    reference = serialize_provider(DataModelProvider())
    answer = subprocess.run(
        [sys.executable, "-c", CHILD, reference, json.dumps(stack_config(emulator)), created.id,
         json.dumps(created.outs), json.dumps(inputs)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert answer.returncode == 0, answer.stderr
    seen = json.loads(answer.stdout.strip().splitlines()[-1])
    assert seen["read_id"] == created.id
    assert stored(emulator, wire.DATA_MODELS, created.id) is None  # the delete did happen
    assert seen["after_load"] is False
    assert seen["after_delete"] is False
    assert (seen["after_unchanged_check"], seen["unchanged_failures"]) == (False, 0)
    # Validation still works in the same process, importing pydantic when it is first needed.
    assert seen["check_failures"] > 0
    assert seen["after_check"] is True
