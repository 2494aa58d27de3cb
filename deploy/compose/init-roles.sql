-- Runs before the sample schema: the gateway's own role on the demo database.
CREATE ROLE portcullis_gw LOGIN PASSWORD 'change-me-gateway';
CREATE DATABASE demo;
