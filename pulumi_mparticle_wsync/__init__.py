"""Pulumi dynamic providers for mParticle Warehouse Sync."""
