#!/bin/sh
# Demo target database, first init step: the gateway's own account on the target (the account
# whose password only the gateway holds; clients never see it) and the database it serves.
set -eu
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres \
  -v gw_password="${DEMO_DB_PASSWORD:?DEMO_DB_PASSWORD is not set}" <<'SQL'
CREATE ROLE portcullis_gw LOGIN PASSWORD :'gw_password';
CREATE DATABASE demo;
SQL
