"""Inson insight: KPIs of the whole platform, folded from every topic (no personal data)."""
