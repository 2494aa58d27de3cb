#!/bin/sh
# Audit and state database, second init step (the first is the gateway's audit schema.sql): the
# gateway's role and its grants, from grants.sql, with its password from the environment.
set -eu
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" \
  -v writer_password="${PORTCULLIS_AUDIT_DB_PASSWORD:?PORTCULLIS_AUDIT_DB_PASSWORD is not set}" \
  -f /portcullis/grants.sql
