-- intervals and distributions per prediction; the prediction cache keys on the estimate
ALTER TABLE campaign_results
    ADD COLUMN low          double precision NULL,
    ADD COLUMN high         double precision NULL,
    ADD COLUMN distribution text             NULL;  -- compact JSON {"v":[..],"p":[..],"m":..}

-- Every answer cached before this step came from greedy decoding: it stays a greedy answer.
ALTER TABLE prediction_cache
    ADD COLUMN estimate     text COLLATE "C" NOT NULL DEFAULT 'greedy',  -- median | mean | greedy
    ADD COLUMN low          double precision NULL,
    ADD COLUMN high         double precision NULL,
    ADD COLUMN distribution text             NULL;
ALTER TABLE prediction_cache ALTER COLUMN estimate DROP DEFAULT;
ALTER TABLE prediction_cache DROP CONSTRAINT prediction_cache_pkey;
ALTER TABLE prediction_cache ADD PRIMARY KEY (task, model_version, estimate, composition);
