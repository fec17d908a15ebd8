-- dagflow schema version 1, H2.
-- ${prefix} is the table prefix: the built-in migrator replaces it; Flyway users set the
-- placeholder "prefix" to the same value (flyway.placeholders.prefix=dagflow_).
-- Times are BIGINT milliseconds since the epoch; JSON is CLOB, kept exactly as written.
-- Form kept for the built-in migrator: comments are whole lines starting with "--", and each
-- statement ends with ";" at the end of a line.

-- templates: one row per version of a template
CREATE TABLE IF NOT EXISTS ${prefix}templates (
  name VARCHAR(128) NOT NULL,
  version INTEGER NOT NULL,
  project VARCHAR(128),
  spec CLOB NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (name, version)
);

-- policies: default_of is the policy's project ('' for a global one) while it is the default,
-- else NULL, so that the unique key keeps one default per project
CREATE TABLE IF NOT EXISTS ${prefix}policies (
  name VARCHAR(128) NOT NULL PRIMARY KEY,
  project VARCHAR(128),
  default_of VARCHAR(128) UNIQUE,
  policy CLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS ${prefix}policies_project ON ${prefix}policies (project);

-- triggers, with their counters
CREATE TABLE IF NOT EXISTS ${prefix}triggers (
  id VARCHAR(128) NOT NULL PRIMARY KEY,
  project VARCHAR(128),
  definition CLOB NOT NULL,
  total BIGINT NOT NULL DEFAULT 0,
  succeeded BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0,
  last_fired BIGINT,
  last_error CLOB
);
CREATE INDEX IF NOT EXISTS ${prefix}triggers_project ON ${prefix}triggers (project, id);

-- the event ids each trigger has processed; processed_at (database clock) for retention
CREATE TABLE IF NOT EXISTS ${prefix}trigger_events (
  trigger_id VARCHAR(128) NOT NULL REFERENCES ${prefix}triggers (id) ON DELETE CASCADE,
  event_id VARCHAR(256) NOT NULL,
  processed_at BIGINT NOT NULL,
  PRIMARY KEY (trigger_id, event_id)
);
CREATE INDEX IF NOT EXISTS ${prefix}trigger_events_time ON ${prefix}trigger_events (processed_at);

-- the one event a trigger queued (overlap QUEUE_ONE): the JSON of Event.document()
CREATE TABLE IF NOT EXISTS ${prefix}trigger_queue (
  trigger_id VARCHAR(128) NOT NULL PRIMARY KEY
    REFERENCES ${prefix}triggers (id) ON DELETE CASCADE,
  event_id VARCHAR(256) NOT NULL,
  event CLOB NOT NULL,
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
  message CLOB NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX IF NOT EXISTS ${prefix}logs_time ON ${prefix}logs (logged_at);
-- one node's lines of a long log, without reading the other nodes' lines
CREATE INDEX IF NOT EXISTS ${prefix}logs_node ON ${prefix}logs (run_id, node_id, seq);

-- the epoch each run's log is fenced at, and the highest line number it has held
CREATE TABLE IF NOT EXISTS ${prefix}log_fences (
  run_id VARCHAR(256) NOT NULL PRIMARY KEY,
  epoch BIGINT NOT NULL,
  last_seq BIGINT NOT NULL
);

-- runs
-- runs: each run's definition, written once when it is created; spec_format is the version of
-- the spec's JSON form, so that a newer engine reads what an older one wrote. start_key is
-- unique (NULLs do not collide).
CREATE TABLE IF NOT EXISTS ${prefix}runs (
  id VARCHAR(256) NOT NULL PRIMARY KEY,
  spec_id VARCHAR(128) NOT NULL,
  spec_format INTEGER NOT NULL,
  spec CLOB NOT NULL,
  params CLOB NOT NULL,
  scope_key VARCHAR(400) NOT NULL,
  project VARCHAR(128),
  template VARCHAR(128),
  template_version INTEGER NOT NULL,
  priority INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  cause VARCHAR(256),
  chain_depth INTEGER NOT NULL,
  start_key VARCHAR(512) UNIQUE
);
CREATE INDEX IF NOT EXISTS ${prefix}runs_created ON ${prefix}runs (created_at, id);
CREATE INDEX IF NOT EXISTS ${prefix}runs_project ON ${prefix}runs (project, created_at, id);
CREATE INDEX IF NOT EXISTS ${prefix}runs_template ON ${prefix}runs (template, created_at, id);

-- run_status: what changes as a run runs, and who holds it. One row per run; every write of a
-- run locks it and checks epoch first. created_at and scope_key are copies of the run's, for
-- claims (oldest first) and admissions (per scope). transitions and history count the run's
-- rows in those tables: the next row's seq.
CREATE TABLE IF NOT EXISTS ${prefix}run_status (
  run_id VARCHAR(256) NOT NULL PRIMARY KEY REFERENCES ${prefix}runs (id) ON DELETE CASCADE,
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
  version BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ${prefix}run_status_claim
  ON ${prefix}run_status (state, lease_expires);
CREATE INDEX IF NOT EXISTS ${prefix}run_status_ended ON ${prefix}run_status (ended_at);
CREATE INDEX IF NOT EXISTS ${prefix}run_status_owner ON ${prefix}run_status (owner);
CREATE INDEX IF NOT EXISTS ${prefix}run_status_scope ON ${prefix}run_status (scope_key, state);

-- node records: the nodes of a run that have left PENDING
CREATE TABLE IF NOT EXISTS ${prefix}nodes (
  run_id VARCHAR(256) NOT NULL REFERENCES ${prefix}runs (id) ON DELETE CASCADE,
  node_id VARCHAR(128) NOT NULL,
  state VARCHAR(16) NOT NULL,
  attempt INTEGER NOT NULL,
  attempt_base INTEGER NOT NULL,
  progress SMALLINT NOT NULL,
  started_at BIGINT,
  ended_at BIGINT,
  wait_until BIGINT,
  result CLOB,
  error_code CLOB,
  error_message CLOB,
  config CLOB,
  PRIMARY KEY (run_id, node_id)
);

-- attempts: one row per attempt of a node
CREATE TABLE IF NOT EXISTS ${prefix}attempts (
  run_id VARCHAR(256) NOT NULL REFERENCES ${prefix}runs (id) ON DELETE CASCADE,
  node_id VARCHAR(128) NOT NULL,
  attempt INTEGER NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  outcome VARCHAR(16) NOT NULL,
  result CLOB,
  error_code CLOB,
  error_message CLOB,
  engine_ref CLOB,
  PRIMARY KEY (run_id, node_id, attempt)
);

-- node state transitions, numbered per run in the order applied
CREATE TABLE IF NOT EXISTS ${prefix}transitions (
  run_id VARCHAR(256) NOT NULL REFERENCES ${prefix}runs (id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  node_id VARCHAR(128) NOT NULL,
  attempt INTEGER NOT NULL,
  from_state VARCHAR(16) NOT NULL,
  to_state VARCHAR(16) NOT NULL,
  reason CLOB NOT NULL,
  trigger_type VARCHAR(16) NOT NULL,
  operator CLOB,
  at BIGINT NOT NULL,
  PRIMARY KEY (run_id, seq)
);

-- the run's history (operations, submissions), numbered per run in the order applied
CREATE TABLE IF NOT EXISTS ${prefix}history (
  run_id VARCHAR(256) NOT NULL REFERENCES ${prefix}runs (id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  node_id VARCHAR(128),
  action CLOB NOT NULL,
  operator CLOB NOT NULL,
  old_value CLOB NOT NULL,
  new_value CLOB NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (run_id, seq)
);

-- commands for the owner of a run another instance was asked to control; outcome NULL while
-- it waits
CREATE TABLE IF NOT EXISTS ${prefix}commands (
  id VARCHAR(256) NOT NULL PRIMARY KEY,
  run_id VARCHAR(256) NOT NULL REFERENCES ${prefix}runs (id) ON DELETE CASCADE,
  kind VARCHAR(16) NOT NULL,
  node_id VARCHAR(128),
  patch CLOB,
  operator CLOB NOT NULL,
  created_at BIGINT NOT NULL,
  taken_by VARCHAR(256),
  outcome VARCHAR(16),
  outcome_state VARCHAR(16),
  outcome_message CLOB,
  outcome_at BIGINT
);
CREATE INDEX IF NOT EXISTS ${prefix}commands_waiting ON ${prefix}commands (outcome, run_id);
CREATE INDEX IF NOT EXISTS ${prefix}commands_run ON ${prefix}commands (run_id);
