"""Drop-in replacements for tenacity and python-backoff on libbackoff's engine.

Change one import and keep your code: ``from libbackoff.compat import tenacity`` (or ``import
libbackoff.compat.tenacity as tenacity``) and ``from libbackoff.compat import backoff``. The peers'
public names, keywords, callback order and messages are kept; every wait value comes from the C++
engine's policies, so the schedules are overflow-proof and the jitter is the engine's. What differs from
the peers, and why, is listed in docs/compat.md.
"""
