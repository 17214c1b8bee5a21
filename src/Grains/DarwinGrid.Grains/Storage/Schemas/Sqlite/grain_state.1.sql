-- grain state documents
CREATE TABLE IF NOT EXISTS grain_state (
    state_name  TEXT    NOT NULL,
    grain_type  TEXT    NOT NULL,
    grain_id    TEXT    NOT NULL,
    state_type  TEXT    NOT NULL,
    payload     TEXT    NULL,      -- JSON; NULL is a cleared state kept as a tombstone
    etag        TEXT    NOT NULL,
    modified_at INTEGER NOT NULL,  -- unix milliseconds
    PRIMARY KEY (state_name, grain_type, grain_id)
) WITHOUT ROWID;
