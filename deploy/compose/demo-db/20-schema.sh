#!/bin/sh
# Demo target database, second init step: the sample schema, owned by the superuser, with the
# gateway's account allowed to read and write its data (what the default policy lets clients do
# is decided by the policy, not here).
set -eu
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d demo -f /portcullis/sample-schema.sql
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d demo \
  -c "GRANT USAGE ON SCHEMA public TO portcullis_gw" \
  -c "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO portcullis_gw" \
  -c "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO portcullis_gw"
