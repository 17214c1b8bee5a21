-- grain state documents
CREATE TABLE IF NOT EXISTS grain_state (
    state_name  text   NOT NULL,
    grain_type  text   NOT NULL,
    grain_id    text   NOT NULL,
    state_type  text   NOT NULL,
    payload     text   NULL,      -- JSON text as written; NULL is a cleared state kept as a tombstone
    etag        text   NOT NULL,
    modified_at bigint NOT NULL,  -- unix milliseconds
    PRIMARY KEY (state_name, grain_type, grain_id)
);
