"""The appeals domain: aggregates, their rules and the application service.

Imports nothing of ours and no infrastructure beyond the eventsourcing library.
"""
