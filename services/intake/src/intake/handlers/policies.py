"""Intake's reactions to other services' events: none.

Applications reach intake only through its API (tablets, windows, the portal),
so no other service's event makes intake decide anything. The one topic intake
reads besides its own is the platform audit topic, and that only to keep a
read model (``projections/access_log.py``), which is a projection, not a policy.
"""
