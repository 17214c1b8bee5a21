namespace DarwinGrid.Web.Formatting;

/// <summary>Error metrics (MAE, RMSE) are in the property's unit; scores (ROC-AUC, accuracy, R², counts) have none.</summary>
public static class MetricUnits
{
    public static string Of(string task, string metric) =>
        metric.Contains("mae", StringComparison.OrdinalIgnoreCase) || metric.Contains("rmse", StringComparison.OrdinalIgnoreCase)
            ? PropertyNames.Unit(task)
            : "";
}
