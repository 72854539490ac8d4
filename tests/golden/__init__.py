"""Golden wire tests: what goes on the wire and what comes back, written out literally.

Every expectation here is a JSON literal typed into the test file. Nothing is built from
``pulumi_mparticle_wsync.wire``, ``pulumi_mparticle_wsync.models`` or any other constant of the
package, so a wrong wire name fails here even when code and other tests agree on it
(``test_golden_isolation.py`` checks that no file here imports them).
"""
