-- campaign candidates, results, scores and the prediction cache
--
-- The tables, keys and versions of the SQLite script, spelled for PostgreSQL. Text that is compared
-- or sorted uses the "C" collation, so ordering is ordinal as in SQLite and .NET, whatever locale
-- the database was created with.

CREATE TABLE IF NOT EXISTS campaigns (
    campaign_ref bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id  text   NOT NULL UNIQUE,
    created_at   bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS campaign_candidates (
    campaign_ref    bigint NOT NULL,
    candidate_index bigint NOT NULL,
    input           text   NOT NULL,
    composition     text   COLLATE "C" NOT NULL,
    PRIMARY KEY (campaign_ref, candidate_index)
);

CREATE TABLE IF NOT EXISTS campaign_rejected (
    campaign_ref bigint NOT NULL,
    row_number   bigint NOT NULL,
    input        text   NOT NULL,
    reason       text   NOT NULL,
    PRIMARY KEY (campaign_ref, row_number)
);

CREATE TABLE IF NOT EXISTS campaign_tasks (
    campaign_ref  bigint NOT NULL,
    task          text   COLLATE "C" NOT NULL,
    model_version text   COLLATE "C" NOT NULL,
    PRIMARY KEY (campaign_ref, task, model_version)
);

CREATE TABLE IF NOT EXISTS campaign_results (
    campaign_ref        bigint           NOT NULL,
    task                text COLLATE "C" NOT NULL,
    model_version       text COLLATE "C" NOT NULL,
    candidate_index     bigint           NOT NULL,
    value               double precision NULL,
    label               text COLLATE "C" NULL,
    probability         double precision NULL,
    label_probabilities text             NULL,   -- JSON object label -> probability
    spread              double precision NULL,
    raw_answer          text             NOT NULL,
    error               text             NULL,
    cached              smallint         NOT NULL,
    PRIMARY KEY (campaign_ref, task, model_version, candidate_index)
);

CREATE TABLE IF NOT EXISTS campaign_scores (
    campaign_ref    bigint           NOT NULL,
    candidate_index bigint           NOT NULL,
    score           double precision NULL,
    pareto_rank     integer          NULL,
    PRIMARY KEY (campaign_ref, candidate_index)
);

CREATE TABLE IF NOT EXISTS prediction_cache (
    task                text COLLATE "C" NOT NULL,
    model_version       text COLLATE "C" NOT NULL,
    composition         text COLLATE "C" NOT NULL,
    value               double precision NULL,
    label               text COLLATE "C" NULL,
    probability         double precision NULL,
    label_probabilities text             NULL,
    spread              double precision NULL,
    raw_answer          text             NOT NULL,
    error               text             NULL,
    updated_at          bigint           NOT NULL,  -- unix milliseconds
    PRIMARY KEY (task, model_version, composition)
);
