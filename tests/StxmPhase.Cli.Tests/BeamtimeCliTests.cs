using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using StxmPhase.Cli.Beamtime;

namespace StxmPhase.Cli.Tests;

/// <summary>train / map --model / map --manifest-index / batch / collect on tiny synthetic beamtimes (issue 18).</summary>
public sealed class BeamtimeCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-beamtime-" + Guid.NewGuid().ToString("N")[..8]);

    public BeamtimeCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);

    /// <summary>Writes <paramref name="count"/> synthetic stacks (two "states of charge": doses alternate) and a manifest.</summary>
    private async Task<string> Beamtime(int count, int size = 40, string name = "m.csv")
    {
        var lines = new List<string> { "path,name,state,dose" };
        for (int i = 0; i < count; i++)
        {
            string dir = Path.Combine(_dir, $"s{i}");
            if (!Directory.Exists(dir))
            {
                int dose = i % 2 == 0 ? 300 : 600;
                var (code, _, err) = await Run(
                    "synth", "--out", dir, "--width", $"{size}", "--height", $"{size}", "--seed", $"{i + 1}", "--dose", $"{dose}");
                Assert.True(code == 0, err);
            }

            lines.Add($"s{i}/stack.npy,p{i},{(i % 2 == 0 ? "charged" : "discharged")},{(i % 2 == 0 ? 300 : 600)}");
        }

        string manifest = Path.Combine(_dir, name);
        await File.WriteAllLinesAsync(manifest, lines);
        return manifest;
    }

    private string References => Path.Combine(_dir, "s0", "references.csv");

    private async Task<string> Train(string manifest, params string[] extra)
    {
        string model = Path.Combine(_dir, "model.ckpt");
        var (code, _, err) = await Run(["train", "--manifest", manifest, "--references", References, "--model", model, "--epochs", "2",
            "--max-training-spectra", "400", "--threads", "1", "-q", .. extra]);
        Assert.True(code == 0, err);
        return model;
    }

    private static byte[] Bytes(string folder, string file) => File.ReadAllBytes(Path.Combine(folder, file));

    [Fact]
    public async Task MapModel_BeamtimeModelWithEdge_ExitsWithInvalidArgumentsInsteadOfIgnoringTheBlocks()
    {
        string manifest = await Beamtime(2, size: 32);
        string model = await Train(manifest);

        var (code, _, err) = await Run("map", "--model", model, "--stack", Path.Combine(_dir, "s0", "stack.npy"),
            "--edge", Path.Combine(_dir, "s1", "stack.npy"), "--out", Path.Combine(_dir, "fused"), "--no-figures", "-q");

        Assert.True(code == ExitCodes.InvalidArguments, err);
        Assert.Contains("single-edge", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapModel_SingleStackAndManifestIndex_EqualBatchBitForBit()
    {
        string manifest = await Beamtime(3);
        string model = await Train(manifest);
        string root = Path.Combine(_dir, "batch");
        var (code, stdout, err) = await Run("batch", "--manifest", manifest, "--out", root, "--model", model, "--jobs", "2", "--threads", "2",
            "--no-figures", "-q");
        Assert.True(code == 0, err + stdout);

        string single = Path.Combine(_dir, "single");
        (code, _, err) = await Run("map", "--model", model, "--stack", Path.Combine(_dir, "s1", "stack.npy"), "--out", single, "--threads", "1",
            "--no-figures", "-q");
        Assert.True(code == 0, err);
        string array = Path.Combine(_dir, "array");
        (code, _, err) = await Run("map", "--manifest", manifest, "--manifest-index", "1", "--model", model, "--out", array, "--threads", "1",
            "--no-figures", "-q");
        Assert.True(code == 0, err);

        foreach (string file in new[] { "phase-map.npy", "posterior.npy", "latent.npy", "pcc-phase-map.npy" })
        {
            Assert.Equal(Bytes(Path.Combine(root, "p1"), file), Bytes(Path.Combine(single, "stack"), file));
            Assert.Equal(Bytes(Path.Combine(root, "p1"), file), Bytes(Path.Combine(array, "p1"), file));
        }

        // Provenance: the input's and the model's SHA-256, the version and the command line, in summary.json and status.json.
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(single, "stack", "summary.json")));
        JsonElement p = summary.RootElement.GetProperty("provenance");
        string inputHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_dir, "s1", "stack.npy"))));
        string modelHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(model).AsSpan(..^32)));
        Assert.Equal(inputHash, p.GetProperty("input_sha256").GetString());
        Assert.Equal(modelHash, p.GetProperty("model_sha256").GetString());
        Assert.StartsWith("stxmphase map --model ", p.GetProperty("command_line").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(p.GetProperty("tool_version").GetString()));
        string[] csv = File.ReadAllLines(Path.Combine(root, "summary.csv"));
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("name,status,error,state,dose,path,pixels,", csv[0], StringComparison.Ordinal);
        Assert.Contains($",{modelHash},{inputHash},", csv[2], StringComparison.Ordinal);
        Assert.Contains("stxmphase batch --manifest", csv[2], StringComparison.Ordinal);
        Assert.StartsWith("p1,ok,,discharged,600,", csv[2], StringComparison.Ordinal);

        // --jobs 2 divides the budget of --threads 2: one thread per stack (every stage, libtorch's pool included).
        using JsonDocument status = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "p1", "status.json")));
        Assert.Equal(1, status.RootElement.GetProperty("threads").GetInt32());
    }

    [Fact]
    public async Task Batch_FailingStackInTheMiddle_OthersFinishRowSaysFailedExit5_RerunRetriesOnlyIt()
    {
        string manifest = await Beamtime(3);
        string model = await Train(manifest);
        string good = Path.Combine(_dir, "s1", "stack.npy");
        string kept = good + ".kept";
        File.Move(good, kept);
        await File.WriteAllTextAsync(good, "not a stack");
        string root = Path.Combine(_dir, "batch");

        var (code, stdout, _) = await Run("batch", "--manifest", manifest, "--out", root, "--model", model, "--no-figures", "-q");

        Assert.Equal(ExitCodes.SomeStacksFailed, code);
        string[] csv = File.ReadAllLines(Path.Combine(root, "summary.csv"));
        Assert.StartsWith("p0,ok,", csv[1], StringComparison.Ordinal);
        Assert.StartsWith("p1,failed,", csv[2], StringComparison.Ordinal);
        Assert.Contains("stack.npy", csv[2], StringComparison.Ordinal);
        Assert.StartsWith("p2,ok,", csv[3], StringComparison.Ordinal);
        Assert.Equal(["status.json"], Directory.GetFiles(Path.Combine(root, "p1")).Select(Path.GetFileName));

        File.Delete(good);
        File.Move(kept, good);
        (code, stdout, string err) = await Run("batch", "--manifest", manifest, "--out", root, "--model", model, "--no-figures", "-q");
        Assert.True(code == 0, err);
        Assert.Contains("p0: skipped", stdout, StringComparison.Ordinal);
        Assert.Contains("p1: ok", stdout, StringComparison.Ordinal);
        Assert.Contains("p2: skipped", stdout, StringComparison.Ordinal);
        (code, _, _) = await Run("collect", root, "--manifest", manifest);
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task Batch_AfterKill9_RerunFinishesOnlyWhatIsMissing_NoPartialFolderTrusted_SameResults()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // needs mkfifo and a child process that can be killed with SIGKILL
        }

        string manifest = await Beamtime(4);
        string model = await Train(manifest);

        // Line 2's energies file is a FIFO with no writer: the child blocks reading it, inside that stack's staging folder.
        string fifo = Path.Combine(_dir, "blocking-energies.csv");
        using (Process mk = Process.Start("mkfifo", fifo))
        {
            await mk.WaitForExitAsync();
            Assert.Equal(0, mk.ExitCode);
        }

        string[] lines = File.ReadAllLines(manifest);
        var hanging = lines.Select((l, i) => i == 0 ? l + ",energies" : l + (i == 3 ? "," + fifo : ",")).ToArray();
        string hangingManifest = Path.Combine(_dir, "hanging.csv");
        await File.WriteAllLinesAsync(hangingManifest, hanging);
        string root = Path.Combine(_dir, "batch");
        Directory.CreateDirectory(Path.Combine(root, "p3"));
        await File.WriteAllTextAsync(Path.Combine(root, "p3", "phase-map.npy"), "a partial folder from a killed run: no status.json");

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        string cli = Path.Combine(AppContext.BaseDirectory, "StxmPhase.Cli.dll");
        foreach (string a in new[] { cli, "batch", "--manifest", hangingManifest, "--out", root, "--model", model, "--no-figures", "-q",
            "--threads", "1" })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["OMP_NUM_THREADS"] = "1";
        using (Process child = Process.Start(psi)!)
        {
            try
            {
                string staging = Path.Combine(root, $".staging-p2-{child.Id}");
                var wait = Stopwatch.StartNew();
                while (!Directory.Exists(staging) && !child.HasExited && wait.Elapsed < TimeSpan.FromSeconds(120))
                {
                    await Task.Delay(20);
                }

                Assert.True(Directory.Exists(staging),
                    "the child never reached line 2: " + (child.HasExited ? await child.StandardError.ReadToEndAsync() : "timeout"));
                await Task.Delay(200);
                child.Kill(); // SIGKILL on Linux: no clean-up runs
                await child.WaitForExitAsync();
                Assert.True(Directory.Exists(staging));
            }
            finally
            {
                if (!child.HasExited)
                {
                    child.Kill(); // a failed assertion above must not leave the child blocked on the FIFO
                }
            }
        }

        Assert.True(File.Exists(Path.Combine(root, "p0", "status.json")));
        Assert.True(File.Exists(Path.Combine(root, "p1", "status.json")));
        Assert.False(Directory.Exists(Path.Combine(root, "p2")));
        var (code, _, _) = await Run("collect", root, "--manifest", manifest);
        Assert.Equal(ExitCodes.SomeStacksFailed, code);
        Assert.Contains(File.ReadAllLines(Path.Combine(root, "summary.csv")), l => l.StartsWith("p2,missing,", StringComparison.Ordinal));
        DateTime p0Written = File.GetLastWriteTimeUtc(Path.Combine(root, "p0", "status.json"));

        var (rerun, stdout, err) = await Run(
            "batch", "--manifest", manifest, "--out", root, "--model", model, "--no-figures", "-q", "--threads", "1");

        Assert.True(rerun == 0, err + stdout);
        Assert.Contains("p0: skipped", stdout, StringComparison.Ordinal);
        Assert.Contains("p1: skipped", stdout, StringComparison.Ordinal);
        Assert.Contains("p2: ok", stdout, StringComparison.Ordinal);
        Assert.Contains("p3: ok", stdout, StringComparison.Ordinal);
        Assert.Equal(p0Written, File.GetLastWriteTimeUtc(Path.Combine(root, "p0", "status.json")));
        Assert.Empty(Directory.GetDirectories(root, ".staging-*"));
        string clean = Path.Combine(_dir, "clean");
        (rerun, _, err) = await Run("batch", "--manifest", manifest, "--out", clean, "--model", model, "--no-figures", "-q", "--threads", "1");
        Assert.True(rerun == 0, err);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(Bytes(Path.Combine(clean, $"p{i}"), "phase-map.npy"), Bytes(Path.Combine(root, $"p{i}"), "phase-map.npy"));
            Assert.Equal(Bytes(Path.Combine(clean, $"p{i}"), "posterior.npy"), Bytes(Path.Combine(root, $"p{i}"), "posterior.npy"));
        }
    }

    [Fact]
    public async Task Batch_CancelledWhileMappingAStack_Exit130AndNoStagingLeft()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // needs mkfifo
        }

        string manifest = await Beamtime(2);
        string model = await Train(manifest);
        string fifo = Path.Combine(_dir, "blocking-energies.csv");
        using (Process mk = Process.Start("mkfifo", fifo))
        {
            await mk.WaitForExitAsync();
        }

        string[] lines = File.ReadAllLines(manifest);
        string hanging = Path.Combine(_dir, "hanging.csv");
        await File.WriteAllLinesAsync(hanging, lines.Select((l, i) => i == 0 ? l + ",energies" : l + (i == 2 ? "," + fifo : ",")));
        string root = Path.Combine(_dir, "batch");
        using var cts = new CancellationTokenSource();
        using var o = new StringWriter();
        using var e = new StringWriter();
        Task<int> batch = Task.Run(() => CliApp.RunAsync(
            ["batch", "--manifest", hanging, "--out", root, "--model", model, "--no-figures", "-q", "--threads", "1"], o, e, cts.Token));
        string staging = Path.Combine(root, $".staging-p1-{Environment.ProcessId}");
        var wait = Stopwatch.StartNew();
        while (!Directory.Exists(staging) && !batch.IsCompleted && wait.Elapsed < TimeSpan.FromSeconds(120))
        {
            await Task.Delay(20);
        }

        Assert.True(Directory.Exists(staging), e.ToString());
        await cts.CancelAsync();
        await File.WriteAllTextAsync(fifo, File.ReadAllText(Path.Combine(_dir, "s1", "energies.csv"))); // unblocks the reader (which
        // then fails: a FIFO cannot seek; an error during cancellation must not be recorded as the stack's failure)

        int code = await batch;

        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.False(Directory.Exists(staging));
        string p1 = Path.Combine(root, "p1");
        Assert.False(Directory.Exists(p1), Directory.Exists(p1) ? File.ReadAllText(Path.Combine(p1, "status.json")) : null);
        Assert.True(File.Exists(Path.Combine(root, "p0", "status.json")));
    }

    [Fact]
    public async Task MapModel_OtherEnergiesOrReferences_Exit4()
    {
        string manifest = await Beamtime(2);
        string model = await Train(manifest);
        string energies = Path.Combine(_dir, "shifted.csv");
        string[] original = File.ReadAllLines(Path.Combine(_dir, "s0", "energies.csv"));
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        await File.WriteAllLinesAsync(energies, original.Select(l => double.TryParse(l, invariant, out double e)
            ? (e + 0.5).ToString("R", invariant)
            : l));

        var (code, _, err) = await Run("map", "--model", model, "--stack", Path.Combine(_dir, "s1", "stack.npy"), "--energies", energies,
            "--out", Path.Combine(_dir, "o1"), "--no-figures", "-q");
        Assert.True(code == ExitCodes.IncompatibleInputs, err);
        Assert.Contains("energ", err, StringComparison.OrdinalIgnoreCase);

        string refs = Path.Combine(_dir, "refs.csv");
        string[] refLines = File.ReadAllLines(References);
        refLines[1] = string.Join(',', refLines[1].Split(',').Select((v, i) => i == 1 ? "0.123" : v));
        await File.WriteAllLinesAsync(refs, refLines);
        (code, _, err) = await Run("map", "--model", model, "--stack", Path.Combine(_dir, "s1", "stack.npy"), "--references", refs,
            "--out", Path.Combine(_dir, "o2"), "--no-figures", "-q");
        Assert.True(code == ExitCodes.IncompatibleInputs, err);
        Assert.Contains("references", err, StringComparison.Ordinal);

        (code, _, err) = await Run("map", "--model", model, "--stack", Path.Combine(_dir, "s1", "stack.npy"), "--strategy", "knn",
            "--out", Path.Combine(_dir, "o3"), "--no-figures", "-q");
        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains("--strategy", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_WithoutModel_TrainsRootModelOnce_RerunReusesIt_CorruptModelExit3()
    {
        string manifest = await Beamtime(2);
        string root = Path.Combine(_dir, "batch");
        string[] args = ["batch", "--manifest", manifest, "--references", References, "--out", root, "--epochs", "2", "--max-training-spectra", "300",
            "--no-figures", "-q", "--threads", "1"];

        var (code, stdout, err) = await Run(args);
        Assert.True(code == 0, err);
        Assert.Contains("Model saved to", stdout, StringComparison.Ordinal);
        string model = Path.Combine(root, BeamtimePipelines.BatchModelFile);
        byte[] first = File.ReadAllBytes(model);
        (code, stdout, err) = await Run(args);
        Assert.True(code == 0, err);
        Assert.Contains("Reusing", stdout, StringComparison.Ordinal);
        Assert.Contains("p0: skipped", stdout, StringComparison.Ordinal);
        Assert.Equal(first, File.ReadAllBytes(model));

        byte[] corrupt = first.ToArray();
        corrupt[corrupt.Length / 2] ^= 0x40;
        string bad = Path.Combine(_dir, "bad.ckpt");
        await File.WriteAllBytesAsync(bad, corrupt);
        (code, _, err) = await Run("map", "--model", bad, "--stack", Path.Combine(_dir, "s0", "stack.npy"), "--out", Path.Combine(_dir, "o"), "-q");
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("SHA-256", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("path,name\na.npy,x\nb.npy,x\n", "line 3 has the name 'x' of line 2")]
    [InlineData("path,name\na.npy,../up\n", "line 2 has the name '../up'")]
    [InlineData("file,name\na.npy,x\n", "no 'path' column")]
    [InlineData("path,name\na.npy\n", "line 2 has 1 fields but the header has 2")]
    public async Task Batch_BadManifest_Exit3NamingFileLineAndValue(string text, string expected)
    {
        string manifest = Path.Combine(_dir, "bad.csv");
        await File.WriteAllTextAsync(manifest, text);

        var (code, _, err) = await Run("batch", "--manifest", manifest, "--out", Path.Combine(_dir, "o"), "--references", "r.csv");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.Contains("bad.csv", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_RelativePathsNameDefaultEnergiesAndMetadata()
    {
        string manifest = Path.Combine(_dir, "m.csv");
        File.WriteAllText(manifest, "# beamtime 42\nstate,path,energies,name\n\"charged, 80%\",sub/a.npy,e.csv,\n discharged ,/abs/b.npy,,bee\n");

        BeamtimeManifest m = BeamtimeManifest.Read(manifest);

        Assert.Equal(["state"], m.MetadataColumns);
        Assert.Equal(Path.Combine(_dir, "sub", "a.npy"), m.Entries[0].Path);
        Assert.Equal("a", m.Entries[0].Name);
        Assert.Equal(Path.Combine(_dir, "e.csv"), m.Entries[0].Energies);
        Assert.Equal("charged, 80%", m.Entries[0].Metadata[0].Value);
        Assert.Equal("bee", m.Entries[1].Name);
        Assert.Null(m.Entries[1].Energies);
        Assert.Equal(1, m.Entry(1).Index);
        Assert.Throws<UsageException>(() => m.Entry(2));
    }
}
