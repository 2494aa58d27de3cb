-- The audit and state database of a Portcullis deployment (audit.store: postgres): the gateway's
-- role and exactly what it may do. Run once, as the database owner, after the gateway's
-- pep-proxy/src/main/resources/io/portcullis/audit/schema.sql has created portcullis_audit.records:
--   psql -v ON_ERROR_STOP=1 -v writer_password='...' -d portcullis -f grants.sql
-- Every gateway instance logs in as this one role; each writes its own audit chain
-- (audit.postgres.chain), and all of them share the approvals and activity counters below.

CREATE ROLE portcullis_audit_writer LOGIN PASSWORD :'writer_password';

-- Audit records: what schema.sql documents, no more. INSERT, and SELECT of the three columns the
-- gateway reads its chain head from; never UPDATE, DELETE or TRUNCATE (the triggers refuse those
-- even to the owner).
GRANT USAGE ON SCHEMA portcullis_audit TO portcullis_audit_writer;
GRANT INSERT ON portcullis_audit.records TO portcullis_audit_writer;
GRANT SELECT (chain, seq, hash) ON portcullis_audit.records TO portcullis_audit_writer;

-- Approval requests and decisions: the append-only table every instance writes and reads, so an
-- approver may decide through any instance. The gateway creates it when its role may (same
-- statements as io.portcullis.approval.PostgresApprovalStore); it is created here by the owner
-- instead, so that the gateway's role can only append to it and read it.
CREATE TABLE IF NOT EXISTS portcullis_audit.approval_events (
  seq         bigserial   PRIMARY KEY,
  approval_id text        NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  event       text        NOT NULL);

CREATE OR REPLACE FUNCTION portcullis_audit.approval_events_refuse() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'portcullis_audit.approval_events is append-only: % refused', TG_OP
    USING ERRCODE = '42501';
END
$fn$;

DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'approval_events_append_only') THEN
    CREATE TRIGGER approval_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE
      ON portcullis_audit.approval_events
      FOR EACH STATEMENT EXECUTE FUNCTION portcullis_audit.approval_events_refuse();
  END IF;
END
$do$;

-- One outcome per request: of two instances deciding it at once, the second is refused.
ALTER TABLE portcullis_audit.approval_events ADD COLUMN IF NOT EXISTS kind text;

CREATE UNIQUE INDEX IF NOT EXISTS approval_events_one_outcome
  ON portcullis_audit.approval_events (approval_id) WHERE kind = 'resolved';

GRANT SELECT, INSERT ON portcullis_audit.approval_events TO portcullis_audit_writer;
GRANT USAGE ON SEQUENCE portcullis_audit.approval_events_seq_seq TO portcullis_audit_writer;

-- Shared state (each instance's published activity counters, read by the others): schema
-- portcullis_state, whose tables the gateway creates and owns. CREATE lets it make them; it
-- gets no rights anywhere else in this database.
CREATE SCHEMA IF NOT EXISTS portcullis_state;
GRANT USAGE, CREATE ON SCHEMA portcullis_state TO portcullis_audit_writer;

-- Investigators (portcullis audit verify, sessions ... pointed at this database): read only.
CREATE ROLE portcullis_audit_reader NOLOGIN;
GRANT USAGE ON SCHEMA portcullis_audit TO portcullis_audit_reader;
GRANT SELECT ON portcullis_audit.records, portcullis_audit.approval_events TO portcullis_audit_reader;
