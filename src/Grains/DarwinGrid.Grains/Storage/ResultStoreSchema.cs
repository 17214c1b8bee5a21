namespace DarwinGrid.Grains.Storage;

/// <summary>
/// Tables of <see cref="SqliteResultStore"/>; append new steps, never edit applied ones. Campaign
/// ids are mapped to small integers (<c>campaigns.campaign_ref</c>, never reused) so the million-row
/// tables do not repeat a GUID per row. Bulk tables are WITHOUT ROWID, clustered on their key:
/// results by (campaign, task, version, candidate) so per-task counts and pivot joins are range scans.
/// Rows arrive in key order, so inserts append to the b-trees. There is deliberately no index on
/// composition: inserting 10⁶ candidates in random composition order dirtied a page per row and was
/// ten times slower (20k vs 240k rows/s); sorting by composition is a full sort like every other key.
/// </summary>
internal static class ResultStoreSchema
{
    public const string Component = "results";

    public static readonly IReadOnlyList<SchemaMigration> Migrations =
    [
        new(1, "campaign candidates, results, scores and the prediction cache", """
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
            """),
        new(2, "intervals and distributions per prediction; the prediction cache keys on the estimate", """
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
            """),
    ];
}
