-- Portcullis audit store: one append-only table in schema portcullis_audit.
-- The gateway runs this (idempotent) at start when the table is missing and its role may create
-- it; otherwise a DBA runs it once, as the owner, and grants the gateway's role only what it needs.
CREATE SCHEMA IF NOT EXISTS portcullis_audit;

CREATE TABLE IF NOT EXISTS portcullis_audit.records (
  chain      text        NOT NULL,            -- one hash chain per gateway (audit.postgres.chain)
  seq        bigint      NOT NULL,
  ts         timestamptz NOT NULL,
  kind       text        NOT NULL,
  session_id text,
  hash       char(64)    NOT NULL,
  prev       char(64)    NOT NULL,
  line       text        NOT NULL,            -- the canonical JSON record, exactly as hashed
  record     jsonb GENERATED ALWAYS AS (line::jsonb) STORED,
  PRIMARY KEY (chain, seq)
);

CREATE INDEX IF NOT EXISTS records_session ON portcullis_audit.records (chain, session_id);

CREATE OR REPLACE FUNCTION portcullis_audit.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'portcullis_audit.records is append-only: % refused', TG_OP
    USING ERRCODE = '42501';
END
$fn$;

DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'records_append_only'
                 AND tgrelid = 'portcullis_audit.records'::regclass) THEN
    CREATE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON portcullis_audit.records
      FOR EACH ROW EXECUTE FUNCTION portcullis_audit.refuse_change();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'records_no_truncate'
                 AND tgrelid = 'portcullis_audit.records'::regclass) THEN
    CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON portcullis_audit.records
      FOR EACH STATEMENT EXECUTE FUNCTION portcullis_audit.refuse_change();
  END IF;
END
$do$;

-- The gateway's role: INSERT, and SELECT of the three columns it reads its chain head from.
-- No UPDATE, DELETE or TRUNCATE; the triggers refuse those even to the owner.
--   CREATE ROLE portcullis_audit_writer LOGIN PASSWORD '...';
--   GRANT USAGE ON SCHEMA portcullis_audit TO portcullis_audit_writer;
--   GRANT INSERT ON portcullis_audit.records TO portcullis_audit_writer;
--   GRANT SELECT (chain, seq, hash) ON portcullis_audit.records TO portcullis_audit_writer;
-- Investigators (portcullis audit verify / sessions ... against this database): SELECT only.
--   GRANT USAGE ON SCHEMA portcullis_audit TO portcullis_audit_reader;
--   GRANT SELECT ON portcullis_audit.records TO portcullis_audit_reader;
