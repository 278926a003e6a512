"""Deployment: two application nodes behind HAProxy, one PostgreSQL, one Redis (cluster.py)."""
