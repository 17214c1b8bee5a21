using LLama.Native;

namespace DarwinGrid.Silo.Hosting;

/// <summary>llama.cpp logs every tensor it loads; CLI verbs keep only its errors (process-wide, as llama.cpp's log is).</summary>
public static class NativeLog
{
    public static void ErrorsOnly() =>
        NativeLogConfig.llama_log_set((level, message) =>
        {
            if (level == LLamaLogLevel.Error) Console.Error.Write(message);
        });
}
