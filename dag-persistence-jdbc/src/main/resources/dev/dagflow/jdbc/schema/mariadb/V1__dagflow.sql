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
  INDEX ${prefix}logs_time (logged_at),
  INDEX ${prefix}logs_node (run_id, node_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- the epoch each run's log is fenced at, and the highest line number it has held
CREATE TABLE IF NOT EXISTS ${prefix}log_fences (
  run_id VARCHAR(256) NOT NULL PRIMARY KEY,
  epoch BIGINT NOT NULL,
  last_seq BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- runs
-- runs: each run's definition, written once when it is created; spec_format is the version of
-- the spec's JSON form, so that a newer engine reads what an older one wrote. start_key is
-- unique (NULLs do not collide) and, as all text here, compared byte for byte.
CREATE TABLE IF NOT EXISTS ${prefix}runs (
  id VARCHAR(256) NOT NULL PRIMARY KEY,
  spec_id VARCHAR(128) NOT NULL,
  spec_format INTEGER NOT NULL,
  spec LONGTEXT NOT NULL,
  params LONGTEXT NOT NULL,
  scope_key VARCHAR(400) NOT NULL,
  project VARCHAR(128),
  template VARCHAR(128),
  template_version INTEGER NOT NULL,
  priority INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  cause VARCHAR(256),
  chain_depth INTEGER NOT NULL,
  start_key VARCHAR(512) UNIQUE,
  INDEX ${prefix}runs_created (created_at, id),
  INDEX ${prefix}runs_project (project, created_at, id),
  INDEX ${prefix}runs_template (template, created_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- run_status: what changes as a run runs, and who holds it. One row per run; every write of a
-- run locks it and checks epoch first. created_at and scope_key are copies of the run's, for
-- claims (oldest first) and admissions (per scope). transitions and history count the run's
-- rows in those tables: the next row's seq.
CREATE TABLE IF NOT EXISTS ${prefix}run_status (
  run_id VARCHAR(256) NOT NULL PRIMARY KEY,
  state VARCHAR(16) NOT NULL,
  started_at BIGINT,
  ended_at BIGINT,
  created_at BIGINT NOT NULL,
  scope_key VARCHAR(400) NOT NULL,
  owner VARCHAR(256),
  epoch BIGINT NOT NULL,
  lease_expires BIGINT,
  transitions BIGINT NOT NULL,
  history BIGINT NOT NULL,
  version BIGINT NOT NULL,
  INDEX ${prefix}run_status_claim (state, lease_expires),
  INDEX ${prefix}run_status_ended (ended_at),
  INDEX ${prefix}run_status_owner (owner),
  INDEX ${prefix}run_status_scope (scope_key, state),
  FOREIGN KEY (run_id) REFERENCES ${prefix}runs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- node records: the nodes of a run that have left PENDING
CREATE TABLE IF NOT EXISTS ${prefix}nodes (
  run_id VARCHAR(256) NOT NULL,
  node_id VARCHAR(128) NOT NULL,
  state VARCHAR(16) NOT NULL,
  attempt INTEGER NOT NULL,
  attempt_base INTEGER NOT NULL,
  progress SMALLINT NOT NULL,
  started_at BIGINT,
  ended_at BIGINT,
  wait_until BIGINT,
  result LONGTEXT,
  error_code MEDIUMTEXT,
  error_message MEDIUMTEXT,
  config LONGTEXT,
  PRIMARY KEY (run_id, node_id),
  FOREIGN KEY (run_id) REFERENCES ${prefix}runs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- attempts: one row per attempt of a node
CREATE TABLE IF NOT EXISTS ${prefix}attempts (
  run_id VARCHAR(256) NOT NULL,
  node_id VARCHAR(128) NOT NULL,
  attempt INTEGER NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  outcome VARCHAR(16) NOT NULL,
  result LONGTEXT,
  error_code MEDIUMTEXT,
  error_message MEDIUMTEXT,
  engine_ref MEDIUMTEXT,
  PRIMARY KEY (run_id, node_id, attempt),
  FOREIGN KEY (run_id) REFERENCES ${prefix}runs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- node state transitions, numbered per run in the order applied
CREATE TABLE IF NOT EXISTS ${prefix}transitions (
  run_id VARCHAR(256) NOT NULL,
  seq BIGINT NOT NULL,
  node_id VARCHAR(128) NOT NULL,
  attempt INTEGER NOT NULL,
  from_state VARCHAR(16) NOT NULL,
  to_state VARCHAR(16) NOT NULL,
  reason MEDIUMTEXT NOT NULL,
  trigger_type VARCHAR(16) NOT NULL,
  operator MEDIUMTEXT,
  at BIGINT NOT NULL,
  PRIMARY KEY (run_id, seq),
  FOREIGN KEY (run_id) REFERENCES ${prefix}runs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- the run's history (operations, submissions), numbered per run in the order applied
CREATE TABLE IF NOT EXISTS ${prefix}history (
  run_id VARCHAR(256) NOT NULL,
  seq BIGINT NOT NULL,
  node_id VARCHAR(128),
  action MEDIUMTEXT NOT NULL,
  operator MEDIUMTEXT NOT NULL,
  old_value LONGTEXT NOT NULL,
  new_value LONGTEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (run_id, seq),
  FOREIGN KEY (run_id) REFERENCES ${prefix}runs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- commands for the owner of a run another instance was asked to control; outcome NULL while
-- it waits
CREATE TABLE IF NOT EXISTS ${prefix}commands (
  id VARCHAR(256) NOT NULL PRIMARY KEY,
  run_id VARCHAR(256) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  node_id VARCHAR(128),
  patch LONGTEXT,
  operator MEDIUMTEXT NOT NULL,
  created_at BIGINT NOT NULL,
  taken_by VARCHAR(256),
  outcome VARCHAR(16),
  outcome_state VARCHAR(16),
  outcome_message MEDIUMTEXT,
  outcome_at BIGINT,
  INDEX ${prefix}commands_waiting (outcome, run_id),
  INDEX ${prefix}commands_run (run_id),
  FOREIGN KEY (run_id) REFERENCES ${prefix}runs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
