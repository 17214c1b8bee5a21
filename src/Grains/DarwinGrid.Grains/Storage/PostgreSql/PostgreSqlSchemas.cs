namespace DarwinGrid.Grains.Storage;

/// <summary>
/// The PostgreSQL tables of the grain storage and the results store: the same tables, keys and
/// component versions as the SQLite schema (<see cref="GrainStateSchema"/>, <see cref="ResultStoreSchema"/>),
/// spelled for PostgreSQL. Append new steps to both, never edit applied ones. Text that is compared
/// or sorted uses the "C" collation, so ordering is ordinal as in SQLite and .NET, whatever locale
/// the database was created with.
/// </summary>
internal static class PostgreSqlSchemas
{
    public static readonly IReadOnlyList<SchemaMigration> GrainState =
    [
        new(1, "grain state documents", """
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
            """),
    ];

    public static readonly IReadOnlyList<SchemaMigration> Results =
    [
        new(1, "campaign candidates, results, scores and the prediction cache", """
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
            """),
        new(2, "intervals and distributions per prediction; the prediction cache keys on the estimate", """
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
            """),
    ];
}
