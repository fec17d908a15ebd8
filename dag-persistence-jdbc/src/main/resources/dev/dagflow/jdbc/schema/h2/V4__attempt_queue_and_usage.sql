-- dagflow schema version 4, H2: each attempt's ready time and usage figures. Additive
-- (two nullable columns): an engine that knows only version 3 still reads and writes a
-- database at version 4 (readable from 3); its attempts have neither.
-- ${prefix} is the table prefix, as in version 1.

-- when the attempt's node became READY, epoch milliseconds (NULL: not known)
ALTER TABLE ${prefix}attempts ADD COLUMN IF NOT EXISTS ready_at BIGINT;
-- the figures its executor reported, a JSON object of numbers by name (NULL: none)
ALTER TABLE ${prefix}attempts ADD COLUMN IF NOT EXISTS usage_figures TEXT;
