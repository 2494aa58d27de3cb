#!/bin/sh
# Loads the sample schema into demo and grants it to the gateway's role.
set -e
psql -v ON_ERROR_STOP=1 -U postgres -d demo -f /portcullis/sample-schema.sql
psql -v ON_ERROR_STOP=1 -U postgres -d demo -c "GRANT ALL ON ALL TABLES IN SCHEMA public TO portcullis_gw" \
  -c "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO portcullis_gw"
