"""Synthetic but realistic source pages for demos, simulated nights and tests (never real results data)."""
