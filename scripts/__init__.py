"""Set-up and demo scripts; ``pulumi_cli`` is also imported by the tests and the benchmark."""
