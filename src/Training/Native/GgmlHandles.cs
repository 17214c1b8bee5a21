using System.Runtime.InteropServices;

namespace DarwinGrid.Training.Native;

/// <summary>Base for handles whose release is one native free call.</summary>
public abstract class GgmlHandle : SafeHandle
{
    protected GgmlHandle(nint handle, string what) : base(IntPtr.Zero, ownsHandle: true)
    {
        if (handle == IntPtr.Zero)
            throw new InvalidOperationException($"ggml could not create {what} (it returned null).");
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The raw pointer, for passing to ggml (only while this handle is alive).</summary>
    public nint Pointer => IsClosed ? throw new ObjectDisposedException(GetType().Name) : handle;
}

/// <summary>A <c>ggml_context</c> (tensor and graph metadata; data lives in backend buffers).</summary>
public sealed class GgmlContextHandle : GgmlHandle
{
    private GgmlContextHandle(nint handle) : base(handle, "a context") { }

    /// <summary>A metadata-only context with room for <paramref name="tensors"/> tensors and <paramref name="graphs"/> graphs of <paramref name="graphSize"/> nodes.</summary>
    public static GgmlContextHandle CreateNoAlloc(int tensors, int graphs = 0, int graphSize = 0)
    {
        var size = (nuint)tensors * Ggml.ggml_tensor_overhead();
        if (graphs > 0) size += (nuint)graphs * Ggml.ggml_graph_overhead_custom((nuint)graphSize, 1);
        return new GgmlContextHandle(Ggml.ggml_init(new GgmlInitParams { MemSize = size, MemBuffer = 0, NoAlloc = 1 }));
    }

    protected override bool ReleaseHandle()
    {
        Ggml.ggml_free(handle);
        return true;
    }
}

/// <summary>A <c>ggml_backend</c> (here always the CPU backend).</summary>
public sealed class GgmlBackendHandle : GgmlHandle
{
    private GgmlBackendHandle(nint handle) : base(handle, "the CPU backend") { }

    public static GgmlBackendHandle CreateCpu(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "At least one thread is needed.");
        var backend = new GgmlBackendHandle(GgmlCpu.ggml_backend_cpu_init());
        GgmlCpu.ggml_backend_cpu_set_n_threads(backend.Pointer, threads);
        return backend;
    }

    protected override bool ReleaseHandle()
    {
        Ggml.ggml_backend_free(handle);
        return true;
    }
}

/// <summary>A <c>ggml_backend_buffer</c> holding the data of all tensors of one context.</summary>
public sealed class GgmlBufferHandle : GgmlHandle
{
    private GgmlBufferHandle(nint handle) : base(handle, "a backend buffer (out of memory?)") { }

    /// <summary>Allocates every tensor of <paramref name="context"/> in one buffer of <paramref name="backend"/>.</summary>
    public static GgmlBufferHandle AllocateTensors(GgmlContextHandle context, GgmlBackendHandle backend) =>
        new(Ggml.ggml_backend_alloc_ctx_tensors(context.Pointer, backend.Pointer));

    public long SizeBytes => (long)Ggml.ggml_backend_buffer_get_size(Pointer);

    protected override bool ReleaseHandle()
    {
        Ggml.ggml_backend_buffer_free(handle);
        return true;
    }
}

/// <summary>A <c>ggml_backend_sched</c>: allocates a graph's intermediate tensors and runs it.</summary>
public sealed class GgmlSchedulerHandle : GgmlHandle
{
    private GgmlSchedulerHandle(nint handle) : base(handle, "a scheduler") { }

    public static unsafe GgmlSchedulerHandle Create(GgmlBackendHandle backend, int graphSize)
    {
        var backends = stackalloc nint[1];
        backends[0] = backend.Pointer;
        return new GgmlSchedulerHandle(Ggml.ggml_backend_sched_new(backends, null, 1, (nuint)graphSize, parallel: 0, opOffload: 1));
    }

    protected override bool ReleaseHandle()
    {
        Ggml.ggml_backend_sched_free(handle);
        return true;
    }
}
