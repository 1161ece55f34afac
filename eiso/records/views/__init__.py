"""Pages of records and dossiers: record types and the list of records to keep, the dossier
log and its import, the figures (on-time rate per procedure, month, agency, tier)."""
