-- intervals and distributions per prediction; the prediction cache keys on the estimate
ALTER TABLE campaign_results ADD COLUMN low REAL NULL;
ALTER TABLE campaign_results ADD COLUMN high REAL NULL;
ALTER TABLE campaign_results ADD COLUMN distribution TEXT NULL;  -- compact JSON {"v":[..],"p":[..],"m":..}

-- SQLite cannot change a primary key in place. Every answer cached before this step came
-- from greedy decoding, so it is kept as a greedy answer.
CREATE TABLE prediction_cache_v2 (
    task                TEXT    NOT NULL,
    model_version       TEXT    NOT NULL,
    estimate            TEXT    NOT NULL,  -- median | mean | greedy
    composition         TEXT    NOT NULL,
    value               REAL    NULL,
    label               TEXT    NULL,
    probability         REAL    NULL,
    label_probabilities TEXT    NULL,
    spread              REAL    NULL,
    raw_answer          TEXT    NOT NULL,
    error               TEXT    NULL,
    low                 REAL    NULL,
    high                REAL    NULL,
    distribution        TEXT    NULL,
    updated_at          INTEGER NOT NULL,
    PRIMARY KEY (task, model_version, estimate, composition)
) WITHOUT ROWID;
INSERT INTO prediction_cache_v2(task, model_version, estimate, composition, value, label, probability, label_probabilities, spread, raw_answer, error, updated_at)
    SELECT task, model_version, 'greedy', composition, value, label, probability, label_probabilities, spread, raw_answer, error, updated_at FROM prediction_cache;
DROP TABLE prediction_cache;
ALTER TABLE prediction_cache_v2 RENAME TO prediction_cache;
