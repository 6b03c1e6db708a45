using System.Runtime.InteropServices;
using StxmPhase.Gmvae;
using StxmPhase.Spectra;
using TorchSharp;

namespace StxmPhase.Gmvae.Tests;

[Collection("Torch")]
public sealed class ThreadPolicyTests
{
    [Fact]
    public void TrainingThreads_PaperBatchOnCpu_OneThread()
    {
        Assert.Equal(1, GmvaeTrainer.TrainingThreads(new GmvaeOptions { BatchSize = 128 }, DeviceType.CPU));
        Assert.Equal(1, GmvaeTrainer.TrainingThreads(new GmvaeOptions { BatchSize = GmvaeTrainer.SingleThreadBatchLimit }, DeviceType.CPU));
    }

    [Fact]
    public void TrainingThreads_LargeBatchOrExplicitThreads_BudgetOrTheGivenCount()
    {
        Assert.Equal(ProcessorBudget.Available, GmvaeTrainer.TrainingThreads(new GmvaeOptions { BatchSize = 1024 }, DeviceType.CPU));
        Assert.Equal(3, GmvaeTrainer.TrainingThreads(new GmvaeOptions { BatchSize = 128, Threads = 3 }, DeviceType.CPU));
    }

    [Fact]
    public void EnsureLoaded_NoWaitPolicyGiven_LibtorchSeesPassiveAndOneInterOpThread()
    {
        TorchNative.EnsureLoaded();

        // The C library's environment (what OpenMP read at load), not only the runtime's copy.
        string? native = Marshal.PtrToStringUTF8(GetEnv("OMP_WAIT_POLICY"));
        Assert.Equal(native, TorchNative.OpenMpWaitPolicy);
        if (Environment.GetEnvironmentVariable("STXMPHASE_TEST_USER_OMP_WAIT_POLICY") is null)
        {
            Assert.NotNull(native);
        }

        Assert.Equal(1, torch.get_num_interop_threads());
    }

    [Fact]
    public void Fit_DefaultThreads_TrainsOnOneThreadAndRestoresTheProcessSetting()
    {
        int before = TorchNative.SetThreads(2);
        int? seen = null;
        var progress = new InlineProgress<GmvaeEpoch>(_ => seen ??= torch.get_num_threads());
        (float[] spectra, _) = TestData.Clusters(200, 1);

        using GmvaeModel model =
            new GmvaeTrainer(TestData.Small(epochs: 1) with { Threads = null }).Fit(spectra, 200, TestData.Axis, progress: progress);

        Assert.Equal(1, seen);
        Assert.Equal(before, torch.get_num_threads());
    }

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
