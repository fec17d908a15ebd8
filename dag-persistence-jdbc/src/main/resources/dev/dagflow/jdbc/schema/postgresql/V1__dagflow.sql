-- dagflow schema version 1, PostgreSQL.
-- ${prefix} is the table prefix: the built-in migrator replaces it; Flyway users set the
-- placeholder "prefix" to the same value (flyway.placeholders.prefix=dagflow_).
-- Times are BIGINT milliseconds since the epoch; JSON is TEXT, kept exactly as written.
-- Names and ids that listings order by are COLLATE "C": ordered by code point, as Java orders
-- strings, whatever the database's default collation.
-- Form kept for the built-in migrator: comments are whole lines starting with "--", and each
-- statement ends with ";" at the end of a line.

-- templates: one row per version of a template
CREATE TABLE IF NOT EXISTS ${prefix}templates (
  name VARCHAR(128) COLLATE "C" NOT NULL,
  version INTEGER NOT NULL,
  project VARCHAR(128),
  spec TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (name, version)
);

-- policies: default_of is the policy's project ('' for a global one) while it is the default,
-- else NULL, so that the unique key keeps one default per project
CREATE TABLE IF NOT EXISTS ${prefix}policies (
  name VARCHAR(128) COLLATE "C" NOT NULL PRIMARY KEY,
  project VARCHAR(128),
  default_of VARCHAR(128) UNIQUE,
  policy TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ${prefix}policies_project ON ${prefix}policies (project);

-- triggers, with their counters
CREATE TABLE IF NOT EXISTS ${prefix}triggers (
  id VARCHAR(128) COLLATE "C" NOT NULL PRIMARY KEY,
  project VARCHAR(128),
  definition TEXT NOT NULL,
  total BIGINT NOT NULL DEFAULT 0,
  succeeded BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0,
  last_fired BIGINT,
  last_error TEXT
);
CREATE INDEX IF NOT EXISTS ${prefix}triggers_project ON ${prefix}triggers (project, id);

-- the event ids each trigger has processed; processed_at (database clock) for retention
CREATE TABLE IF NOT EXISTS ${prefix}trigger_events (
  trigger_id VARCHAR(128) COLLATE "C" NOT NULL
    REFERENCES ${prefix}triggers (id) ON DELETE CASCADE,
  event_id VARCHAR(256) NOT NULL,
  processed_at BIGINT NOT NULL,
  PRIMARY KEY (trigger_id, event_id)
);
CREATE INDEX IF NOT EXISTS ${prefix}trigger_events_time ON ${prefix}trigger_events (processed_at);

-- the one event a trigger queued (overlap QUEUE_ONE): the JSON of Event.document()
CREATE TABLE IF NOT EXISTS ${prefix}trigger_queue (
  trigger_id VARCHAR(128) COLLATE "C" NOT NULL PRIMARY KEY
    REFERENCES ${prefix}triggers (id) ON DELETE CASCADE,
  event_id VARCHAR(256) NOT NULL,
  event TEXT NOT NULL,
  queued_at BIGINT NOT NULL
);

-- log lines, numbered per run
CREATE TABLE IF NOT EXISTS ${prefix}logs (
  run_id VARCHAR(256) NOT NULL,
  seq BIGINT NOT NULL,
  node_id VARCHAR(128),
  attempt INTEGER NOT NULL,
  level SMALLINT NOT NULL,
  logged_at BIGINT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX IF NOT EXISTS ${prefix}logs_time ON ${prefix}logs (logged_at);

-- the epoch each run's log is fenced at, and the highest line number it has held
CREATE TABLE IF NOT EXISTS ${prefix}log_fences (
  run_id VARCHAR(256) NOT NULL PRIMARY KEY,
  epoch BIGINT NOT NULL,
  last_seq BIGINT NOT NULL
);

-- engine instances sharing the database, with their heartbeats
CREATE TABLE IF NOT EXISTS ${prefix}engine_instances (
  id VARCHAR(128) NOT NULL PRIMARY KEY,
  host VARCHAR(255) NOT NULL,
  started_at BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL
);
