"""Serializers of the API: parsing and field validation only. Every foreign-key choice is
scoped to the requesting user (``ScopedPrimaryKeyRelatedField``); saving is done by services."""
