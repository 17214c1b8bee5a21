-- campaign candidates, results, scores and the prediction cache
--
-- Campaign ids are mapped to small integers (campaigns.campaign_ref, never reused) so the
-- million-row tables do not repeat a GUID per row. Bulk tables are WITHOUT ROWID, clustered on
-- their key: results by (campaign, task, version, candidate) so per-task counts and pivot joins are
-- range scans. Rows arrive in key order, so inserts append to the b-trees. There is deliberately no
-- index on composition: inserting 10^6 candidates in random composition order dirtied a page per
-- row and was ten times slower (20k vs 240k rows/s); sorting by composition is a full sort like
-- every other key.

CREATE TABLE IF NOT EXISTS campaigns (
    campaign_ref INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id  TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS campaign_candidates (
    campaign_ref    INTEGER NOT NULL,
    candidate_index INTEGER NOT NULL,
    input           TEXT    NOT NULL,
    composition     TEXT    NOT NULL,
    PRIMARY KEY (campaign_ref, candidate_index)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS campaign_rejected (
    campaign_ref INTEGER NOT NULL,
    row_number   INTEGER NOT NULL,
    input        TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    PRIMARY KEY (campaign_ref, row_number)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS campaign_tasks (
    campaign_ref  INTEGER NOT NULL,
    task          TEXT    NOT NULL,
    model_version TEXT    NOT NULL,
    PRIMARY KEY (campaign_ref, task, model_version)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS campaign_results (
    campaign_ref        INTEGER NOT NULL,
    task                TEXT    NOT NULL,
    model_version       TEXT    NOT NULL,
    candidate_index     INTEGER NOT NULL,
    value               REAL    NULL,
    label               TEXT    NULL,
    probability         REAL    NULL,
    label_probabilities TEXT    NULL,   -- JSON object label -> probability
    spread              REAL    NULL,
    raw_answer          TEXT    NOT NULL,
    error               TEXT    NULL,
    cached              INTEGER NOT NULL,
    PRIMARY KEY (campaign_ref, task, model_version, candidate_index)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS campaign_scores (
    campaign_ref    INTEGER NOT NULL,
    candidate_index INTEGER NOT NULL,
    score           REAL    NULL,
    pareto_rank     INTEGER NULL,
    PRIMARY KEY (campaign_ref, candidate_index)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS prediction_cache (
    task                TEXT    NOT NULL,
    model_version       TEXT    NOT NULL,
    composition         TEXT    NOT NULL,
    value               REAL    NULL,
    label               TEXT    NULL,
    probability         REAL    NULL,
    label_probabilities TEXT    NULL,
    spread              REAL    NULL,
    raw_answer          TEXT    NOT NULL,
    error               TEXT    NULL,
    updated_at          INTEGER NOT NULL,  -- unix milliseconds
    PRIMARY KEY (task, model_version, composition)
) WITHOUT ROWID;
