-- dagflow schema version 1, MariaDB (and MySQL 8, there with COLLATE utf8mb4_0900_bin).
-- ${prefix} is the table prefix: the built-in migrator replaces it; Flyway users set the
-- placeholder "prefix" to the same value (flyway.placeholders.prefix=dagflow_).
-- Times are BIGINT milliseconds since the epoch; JSON is text, kept exactly as written.
-- Text is utf8mb4 with a binary, no-pad collation: ids compare byte for byte ('a' <> 'A',
-- 'a' <> 'a ') and every character (emoji too) is kept.
-- Indexes are declared inside CREATE TABLE, as MySQL has no CREATE INDEX IF NOT EXISTS.
-- Form kept for the built-in migrator: comments are whole lines starting with "--", and each
-- statement ends with ";" at the end of a line.

-- templates: one row per version of a template
CREATE TABLE IF NOT EXISTS ${prefix}templates (
  name VARCHAR(128) NOT NULL,
  version INTEGER NOT NULL,
  project VARCHAR(128),
  spec LONGTEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (name, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- policies: default_of is the policy's project ('' for a global one) while it is the default,
-- else NULL, so that the unique key keeps one default per project
CREATE TABLE IF NOT EXISTS ${prefix}policies (
  name VARCHAR(128) NOT NULL PRIMARY KEY,
  project VARCHAR(128),
  default_of VARCHAR(128) UNIQUE,
  policy MEDIUMTEXT NOT NULL,
  INDEX ${prefix}policies_project (project)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- triggers, with their counters
CREATE TABLE IF NOT EXISTS ${prefix}triggers (
  id VARCHAR(128) NOT NULL PRIMARY KEY,
  project VARCHAR(128),
  definition MEDIUMTEXT NOT NULL,
  total BIGINT NOT NULL DEFAULT 0,
  succeeded BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0,
  last_fired BIGINT,
  last_error MEDIUMTEXT,
  INDEX ${prefix}triggers_project (project, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- the event ids each trigger has processed; processed_at (database clock) for retention
CREATE TABLE IF NOT EXISTS ${prefix}trigger_events (
  trigger_id VARCHAR(128) NOT NULL,
  event_id VARCHAR(256) NOT NULL,
  processed_at BIGINT NOT NULL,
  PRIMARY KEY (trigger_id, event_id),
  INDEX ${prefix}trigger_events_time (processed_at),
  FOREIGN KEY (trigger_id) REFERENCES ${prefix}triggers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- the one event a trigger queued (overlap QUEUE_ONE): the JSON of Event.document()
CREATE TABLE IF NOT EXISTS ${prefix}trigger_queue (
  trigger_id VARCHAR(128) NOT NULL PRIMARY KEY,
  event_id VARCHAR(256) NOT NULL,
  event MEDIUMTEXT NOT NULL,
  queued_at BIGINT NOT NULL,
  FOREIGN KEY (trigger_id) REFERENCES ${prefix}triggers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- log lines, numbered per run
CREATE TABLE IF NOT EXISTS ${prefix}logs (
  run_id VARCHAR(256) NOT NULL,
  seq BIGINT NOT NULL,
  node_id VARCHAR(128),
  attempt INTEGER NOT NULL,
  level SMALLINT NOT NULL,
  logged_at BIGINT NOT NULL,
  message MEDIUMTEXT NOT NULL,
  PRIMARY KEY (run_id, seq),
  INDEX ${prefix}logs_time (logged_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- the epoch each run's log is fenced at, and the highest line number it has held
CREATE TABLE IF NOT EXISTS ${prefix}log_fences (
  run_id VARCHAR(256) NOT NULL PRIMARY KEY,
  epoch BIGINT NOT NULL,
  last_seq BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- engine instances sharing the database, with their heartbeats
CREATE TABLE IF NOT EXISTS ${prefix}engine_instances (
  id VARCHAR(128) NOT NULL PRIMARY KEY,
  host VARCHAR(255) NOT NULL,
  started_at BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
