-- dagflow schema version 5, H2: schedules. Additive (a new table): an engine that knows
-- only version 4 still reads and writes a database at version 5 (readable from 4); it has no
-- schedules. ${prefix} is the table prefix, as in version 1.

-- schedules, with what each has done: counts per outcome, the latest fire time counted
-- (last_fire), the next fire time an engine armed (next_fire), and the fire time up to which
-- its fire times are handled (handled_until), all in milliseconds. A fire time's run is made
-- once by the unique start key of runs, not here.
CREATE TABLE IF NOT EXISTS ${prefix}schedules (
  id VARCHAR(128) NOT NULL PRIMARY KEY,
  project VARCHAR(128),
  definition CLOB NOT NULL,
  fired BIGINT NOT NULL DEFAULT 0,
  skipped BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0,
  last_fire BIGINT,
  next_fire BIGINT,
  handled_until BIGINT,
  last_error CLOB
);
CREATE INDEX IF NOT EXISTS ${prefix}schedules_project ON ${prefix}schedules (project, id);
