namespace DarwinGrid.Grains.Loop;

/// <summary>
/// The bounds of a campaign's loop, checked by the grain (and by the web and CLI before they call
/// it): the loop keeps its proposals and lab datasets in grain state, whose row must stay small.
/// </summary>
public static class LoopLimits
{
    /// <summary>Candidates per proposal.</summary>
    public const int MaxBatch = 500;

    /// <summary>Proposals kept per campaign (a round each).</summary>
    public const int MaxProposals = 100;

    /// <summary>Dataset versions (uploads) per campaign.</summary>
    public const int MaxUploads = 100;

    /// <summary>Measured rows across every dataset version of a campaign.</summary>
    public const int MaxMeasuredRows = 10_000;

    /// <summary>Bytes of one uploaded CSV (the REST body limit is a little above it).</summary>
    public const int MaxUploadBytes = 2 * 1024 * 1024;

    /// <summary>
    /// The best candidates by acquisition value the diversity penalty chooses among: the greedy
    /// pick costs batch × pool similarity computations, so a campaign of millions is cut first.
    /// </summary>
    public const int MaxPool = 5_000;

    /// <summary>A predicted distribution is stored with a proposal when it has at most this many points (else its summary only).</summary>
    public const int MaxStoredPoints = 64;

    /// <summary>Longest name of the uploading user and of the uploaded file kept as provenance.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The largest diversity weight (the penalty is on scores normalised to at most 1).</summary>
    public const double MaxDiversity = 10;

    /// <summary>Optimizer steps an update may ask for.</summary>
    public const int MaxUpdateSteps = 5_000;
}
