-- dagflow schema version 3, H2: idempotency keys. Additive (a nullable column and a table): an
-- engine that knows only version 2 still reads and writes a database at version 3 (readable
-- from 2); its runs have no key, and its purges delete the key records of the runs they delete.
-- ${prefix} is the table prefix, as in version 1.

-- the idempotency key a run was submitted with, part of its definition (NULL: none)
ALTER TABLE ${prefix}runs ADD COLUMN IF NOT EXISTS idempotency_key VARCHAR(255);

-- idempotency_keys: per project and key, the key's current run (the last one started with it).
-- The global scope is the project ''. A create locks the row (or inserts it) in the transaction
-- that inserts its run, and moves run_id to the new run only when its strategy lets it (the
-- current run has ended); the row goes with its current run when that run is purged.
CREATE TABLE IF NOT EXISTS ${prefix}idempotency_keys (
  project VARCHAR(128) NOT NULL,
  idempotency_key VARCHAR(255) NOT NULL,
  run_id VARCHAR(256) NOT NULL REFERENCES ${prefix}runs (id) ON DELETE CASCADE,
  PRIMARY KEY (project, idempotency_key)
);
CREATE INDEX IF NOT EXISTS ${prefix}idempotency_keys_run ON ${prefix}idempotency_keys (run_id);
