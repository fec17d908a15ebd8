-- dagflow schema version 2, PostgreSQL: admissions counted across instances, and the
-- instances' heartbeats. Additive (it adds a column with a default and two tables): an engine
-- that knows only version 1 still reads and writes a database at version 2 (readable from 1).
-- ${prefix} is the table prefix, as in version 1.

-- whether a PENDING run was given a place in its scope (maxConcurrentRunsPerScope)
ALTER TABLE ${prefix}run_status ADD COLUMN IF NOT EXISTS admitted BOOLEAN NOT NULL DEFAULT FALSE;

-- the scopes admissions have counted, one row each: locked while a run's place is decided
CREATE TABLE IF NOT EXISTS ${prefix}scopes (
  scope_key VARCHAR(400) NOT NULL PRIMARY KEY
);

-- engine instances sharing the database, with their heartbeats
CREATE TABLE IF NOT EXISTS ${prefix}engine_instances (
  id VARCHAR(128) NOT NULL PRIMARY KEY,
  host VARCHAR(255) NOT NULL,
  started_at BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL
);
