-- dagflow schema version 2, H2: admissions counted across instances, writes
-- retried after a lost answer recognised, and the instances' heartbeats. Additive (it adds columns with defaults and two tables): an engine
-- that knows only version 1 still reads and writes a database at version 2 (readable from 1).
-- ${prefix} is the table prefix, as in version 1.

-- whether a PENDING run was given a place in its scope (maxConcurrentRunsPerScope)
ALTER TABLE ${prefix}run_status ADD COLUMN IF NOT EXISTS admitted BOOLEAN NOT NULL DEFAULT FALSE;

-- the id of the last write applied (RunChanges.writeId, with the epoch): a write retried after
-- its commit's answer was lost is recognised and not applied twice
ALTER TABLE ${prefix}run_status ADD COLUMN IF NOT EXISTS last_write BIGINT NOT NULL DEFAULT 0;

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
