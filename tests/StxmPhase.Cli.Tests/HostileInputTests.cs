using System.Globalization;
using System.Text.Json;
using StxmPhase.IO;
using StxmPhase.TestUtilities;

namespace StxmPhase.Cli.Tests;

/// <summary>
/// The hostile-input campaign of issue 20 as tests: every case runs the CLI in-process on a file of
/// <see cref="HostileCorpus"/> and asserts the exit code, a single one-line message (no stack trace, no "Unhandled
/// exception") naming what is wrong, and the state of the output folder.
/// </summary>
public sealed class HostileInputTests : IClassFixture<HostileCorpus>
{
    private readonly HostileCorpus _c;

    public HostileInputTests(HostileCorpus corpus) => _c = corpus;

    public static TheoryData<string> Cases
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string name in CaseTable(null!).Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_Case_ExitsWithDocumentedCodeOneLineMessageAndCleanOutput(string name)
    {
        (string[] args, int code, string fragment) = CaseTable(_c)[name]();
        string outDir = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? _c.NewOut();

        var (actual, _, err) = await Run(args);

        Assert.True(actual == code, $"{name}: exit {actual}, expected {code}; stderr: {err}");
        AssertOneLineMessage(err, fragment);
        AssertOutputAbsent(outDir);
    }

    /// <summary>The cases: name → (arguments, exit code, a fragment the message must contain).</summary>
    private static Dictionary<string, Func<(string[] Args, int Code, string Fragment)>> CaseTable(HostileCorpus c)
    {
        // The stacks are optical density unless a case says otherwise (the tool's default, auto, detects it from the values;
        // stacks with nothing to analyse, such as a constant one, must name that, not fail the detection).
        string[] MapQ(string stack, string quantity, params string[] more) =>
            ["map", "--stack", c.PathOf(stack), "--energies", c.PathOf("energies.csv"), "--references", c.PathOf("references.csv"),
             "--encoder", "pca", "--no-figures", "--quantity", quantity, "--out", c.NewOut(), .. more];
        string[] Map(string stack, params string[] more) => MapQ(stack, "od", more);
        string[] MapT(string stack, params string[] more) => MapQ(stack, "transmission", more);
        string[] MapG(string stack, params string[] more) =>
            ["map", "--stack", c.PathOf(stack), "--energies", c.PathOf("energies.csv"), "--references", c.PathOf("references.csv"),
             "--encoder", "gmvae", "--epochs", "1", "--no-figures", "--out", c.NewOut(), .. more];
        const int Args = ExitCodes.InvalidArguments, Input = ExitCodes.InvalidInput, Incompatible = ExitCodes.IncompatibleInputs;
        return new()
        {
            // 1: non-numeric or out-of-range values of validated options (previously an unhandled exception, exit 134).
            ["1 map --epochs abc"] = () => (Map("od.npy", "--epochs", "abc"), Args, "--epochs"),
            ["1 map --epochs 99999999999"] = () => (Map("od.npy", "--epochs", "99999999999"), Args, "--epochs"),
            ["1 demo --epochs abc"] = () => (["demo", "--out", c.NewOut(), "--epochs", "abc"], Args, "--epochs"),
            ["1 demo --max-training-spectra x"] = () =>
                (["demo", "--out", c.NewOut(), "--max-training-spectra", "x"], Args, "--max-training-spectra"),
            ["1 evaluate --ambiguity-threshold abc"] = () =>
                (["evaluate", "--synthetic", "--ambiguity-threshold", "abc"], Args, "--ambiguity-threshold"),
            ["1 evaluate --max-training-spectra 99999999999"] = () =>
                (["evaluate", "--synthetic", "--max-training-spectra", "99999999999"], Args, "--max-training-spectra"),

            // 2: an energies file with decimal commas.
            ["2 energies with decimal commas"] = () => (["map", "--stack", c.PathOf("od.npy"), "--energies", c.PathOf("energies-decimal-comma.csv"),
                "--references", c.PathOf("references.csv"), "--encoder", "pca", "--out", c.NewOut()], Input, "decimal point"),

            // 3: nothing to analyse.
            ["3 all-NaN stack"] = () => (Map("all-nan.npy"), Input, "no finite value"),
            ["3 all-zero stack"] = () => (Map("all-zero.npy"), Input, "no pixel could be analysed"),
            ["3 constant stack"] = () => (Map("constant.npy"), Input, "no pixel could be analysed"),
            ["3 constant stack, no mask"] = () => (Map("constant.npy", "--mask", "none"), Input, "every spectrum is NaN/±∞ or constant"),
            ["3 one all-NaN energy plane"] = () => (Map("nan-plane.npy"), Input, "energy plane 4"),
            ["3 every pixel the same spectrum"] = () => (Map("same-spectrum.npy"), Input, "no pixel could be analysed"),
            ["3 I0 file of zeros"] = () => (MapT("transmission.npy", "--i0", c.PathOf("i0-zeros.txt")), Input, "I0 must be positive"),

            // 4, 5: --save-model checked before any work.
            ["4 --save-model in a missing folder"] = () =>
                (MapG("od.npy", "--save-model", Path.Combine(c.Root, "no-such-folder", "m.gmvae")), Args, "--save-model"),
            ["4 --save-model is a folder"] = () => (MapG("od.npy", "--save-model", c.Root), Args, "--save-model"),

            // 7: non-finite or negative numeric options.
            ["7 --spatial-prior NaN"] = () => (Map("od.npy", "--spatial-prior", "NaN"), Args, "--spatial-prior"),
            ["7 --spatial-prior Infinity"] = () => (Map("od.npy", "--spatial-prior", "Infinity"), Args, "--spatial-prior"),
            ["7 --spatial-prior -1"] = () => (Map("od.npy", "--spatial-prior", "-1"), Args, "--spatial-prior"),

            // 8: a missing last SDF frame.
            ["8 SDF stack with its last frame missing"] = () => (["map", "--stack", c.SdfHeader, "--references", c.PathOf("references.csv"),
                "--quantity", "transmission", "--encoder", "pca", "--out", c.NewOut()], Input, "scan_a012.xim"),

            // 10: unbounded text.
            ["10 references with a 2 Mi-character line"] = () => (["map", "--stack", c.PathOf("od.npy"), "--energies", c.PathOf("energies.csv"),
                "--references", c.PathOf("long-line.csv"), "--out", c.NewOut()], Input, "longer than"),

            // 11: user errors that were "unexpected errors", and exit codes that disagreed with the docs.
            ["11 one-energy stack"] = () => (["map", "--stack", c.PathOf("one-energy.npy"), "--energies", c.PathOf("one-energy.csv"),
                "--references", c.PathOf("references.csv"), "--out", c.NewOut()], Input, "only 1 energy"),
            ["11 constant reference column"] = () => (["map", "--stack", c.PathOf("od.npy"), "--energies", c.PathOf("energies.csv"),
                "--references", c.PathOf("references-constant-column.csv"), "--out", c.NewOut()], Input, "'flat' is constant"),
            ["11 --device cuda without CUDA"] = () => (MapG("od.npy", "--device", "cuda"), Args, "--device cuda"),
            ["11 --out empty"] = () => (["map", "--stack", c.PathOf("od.npy"), "--energies", c.PathOf("energies.csv"),
                "--references", c.PathOf("references.csv"), "--out", ""], Args, "--out"),
            ["11 synth --width 0"] = () => (["synth", "--out", c.NewOut(), "--width", "0"], Args, "--width"),
            ["11 synth --dose NaN"] = () => (["synth", "--out", c.NewOut(), "--dose", "NaN"], Args, "--dose"),
            ["11 synth --drift -3"] = () => (["synth", "--out", c.NewOut(), "--drift", "-3"], Args, "--drift"),
            ["11 demo --dose NaN"] = () => (["demo", "--out", c.NewOut(), "--dose", "NaN"], Args, "--dose"),
            ["11 energy count differs from the planes"] = () => (["map", "--stack", c.PathOf("od.npy"), "--energies", c.PathOf("energies-short.csv"),
                "--references", c.PathOf("references.csv"), "--out", c.NewOut()], Incompatible, "13 energy planes but 11 energies"),
            ["11 corrupt checkpoint"] = () => (Map("od.npy", "--model", c.PathOf("corrupt.gmvae")), Input, "corrupt.gmvae"),

            // 12: wording.
            ["12 a folder passed as the stack"] = () => (Map("folder.npy"), Input, "is a folder"),
            ["12 a file name that is not valid UTF-8"] = () => (Map("bad\uFFFDname.npy"), Input, "UTF-8"),
            ["12 .npy without energies names --energies"] = () => (["map", "--stack", c.PathOf(Path.Combine("alone", "od.npy")),
                "--references", c.PathOf("references.csv"), "--out", c.NewOut()], Input, "--energies"),
            ["12 info on a truncated .npy"] = () =>
                (["info", c.PathOf("truncated.npy"), "--energies", c.PathOf("energies.csv")], Input, "data bytes"),

            // 13 (newcomer review): crashes and silently ignored options.
            ["13 two-energy stack"] = () => (["map", "--stack", c.PathOf("two-energy.npy"), "--energies", c.PathOf("two-energy.csv"),
                "--references", c.PathOf("references.csv"), "--out", c.NewOut()], Input, "needs at least 3"),
            ["13 two-energy stack, --paper"] = () => (["map", "--stack", c.PathOf("two-energy.npy"), "--energies", c.PathOf("two-energy.csv"),
                "--references", c.PathOf("references.csv"), "--paper", "--out", c.NewOut()], Input, "--method lcf"),
            ["13 three energies and --background linear"] = () => (["map", "--stack", c.PathOf("three-energy.npy"), "--energies",
                c.PathOf("three-energy.csv"), "--references", c.PathOf("references.csv"), "--background", "linear", "--encoder", "pca",
                "--out", c.NewOut()], Input, "need at least 4 energies"),
            ["13 demo --method lcf"] = () => (["demo", "--out", c.NewOut(), "--method", "lcf"], Args, "--method lcf"),
            ["13 evaluate --method nmf"] = () => (["evaluate", "--synthetic", "--method", "nmf"], Args, "--method nmf"),
            ["13 references that do not cover the stack name their file"] = () => (["map", "--stack", c.PathOf("od.npy"), "--energies",
                c.PathOf("energies.csv"), "--references", c.PathOf("references-c-k.csv"), "--out", c.NewOut()], Incompatible,
                "references-c-k.csv"),
            ["13 a .npy stack given as the references"] = () => (["map", "--stack", c.PathOf("od.npy"), "--energies",
                c.PathOf("energies.csv"), "--references", c.PathOf("od.npy"), "--out", c.NewOut()], Input, "binary, not text"),
            ["13 --save-model with --method lcf"] = () => (Map("od.npy", "--method", "lcf", "--save-model", c.PathOf("m1.ckpt")), Args,
                "--save-model"),
            ["13 --save-model with --encoder pca"] = () => (Map("od.npy", "--save-model", c.PathOf("m2.ckpt")), Args, "--encoder pca"),
            ["13 batch --save-model"] = () => (["batch", "--manifest", c.PathOf("manifest.csv"), "--references", c.PathOf("references.csv"),
                "--save-model", c.PathOf("m3.ckpt"), "--out", c.NewOut()], Args, "--save-model"),
            ["13 info on an SDF header without its frame files"] = () => (["info", RepositoryPaths.Combine("tests", "TestData", "io", "real",
                "xanespy", "NS_181111148.hdr")], Input, "none of the 46 frame files"),
            ["13 batch with a missing --model"] = () => (["batch", "--manifest", c.PathOf("manifest.csv"), "--model",
                c.PathOf("no-such.ckpt"), "--out", c.NewOut()], Input, "no-such.ckpt"),
            ["13 batch with a GMVAE checkpoint as --model"] = () => (["batch", "--manifest", c.PathOf("manifest.csv"), "--model",
                c.PathOf("corrupt.gmvae"), "--out", c.NewOut()], Input, "not a beamtime model"),
            ["13 map --manifest-index with a missing --model"] = () => (["map", "--manifest", c.PathOf("manifest.csv"), "--manifest-index",
                "0", "--model", c.PathOf("no-such.ckpt"), "--out", c.NewOut()], Input, "no-such.ckpt"),
        };
    }

    [Fact]
    public async Task Hostile_EveryCaseUsesItsOwnOutputFolder()
    {
        // The table builds each case lazily; two builds of one case must not share an output folder (else the out-state
        // assertion of one case could see another's files).
        string[] a = CaseTable(_c)["1 map --epochs abc"]().Args;
        string[] b = CaseTable(_c)["1 map --epochs abc"]().Args;
        Assert.NotEqual(a[Array.IndexOf(a, "--out") + 1], b[Array.IndexOf(b, "--out") + 1]);
        await Task.CompletedTask;
    }

    // ---- 3: NaN/Inf pixels are invalid, not background ----

    [Fact]
    public async Task Map_NaNAndInfPixelsWithAutoMask_AreCountedInvalidNotBackground()
    {
        float[] od = (float[])_c.OpticalDensity.Clone();
        int plane = HostileCorpus.Size * HostileCorpus.Size;
        int[] broken = [0, 1, 40, 517, 1000];
        foreach (int p in broken)
        {
            od[(3 * plane) + p] = p % 2 == 0 ? float.NaN : float.PositiveInfinity;
        }

        string stack = _c.Write("some-nan-" + Guid.NewGuid().ToString("N")[..6] + ".npy", od, _c.Energies.Length);
        string outDir = _c.NewOut();

        var (code, _, err) = await Run("map", "--stack", stack, "--energies", _c.PathOf("energies.csv"), "--references", _c.PathOf("references.csv"),
            "--encoder", "pca", "--no-figures", "--out", outDir);

        Assert.True(code == 0, err);
        string folder = Directory.GetDirectories(outDir).Single();
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
        Assert.Equal(broken.Length, summary.RootElement.GetProperty("counts").GetProperty("invalid").GetInt32());
    }

    // ---- 4, 5: --save-model ----

    [Fact]
    public async Task Map_SaveModelOverExistingFile_RefusedBeforeWorkUnlessOverwrite()
    {
        string model = Path.Combine(_c.Root, "existing-" + Guid.NewGuid().ToString("N")[..6] + ".gmvae");
        File.WriteAllText(model, "not mine to replace");
        string outDir = _c.NewOut();
        string[] args = ["map", "--stack", _c.PathOf("od.npy"), "--energies", _c.PathOf("energies.csv"), "--references", _c.PathOf("references.csv"),
            "--epochs", "1", "--max-training-spectra", "300", "--no-figures", "--save-model", model, "--out", outDir];

        var (code, _, err) = await Run(args);

        Assert.Equal(ExitCodes.InvalidArguments, code);
        AssertOneLineMessage(err, "--overwrite");
        Assert.Equal("not mine to replace", File.ReadAllText(model));
        AssertOutputAbsent(outDir);

        var (again, stdout, err2) = await Run([.. args, "--overwrite"]);
        Assert.True(again == 0, err2);
        Assert.Contains("Model saved", stdout, StringComparison.Ordinal);
        Assert.NotEqual("not mine to replace", File.ReadAllText(model));
        Assert.True(File.Exists(Path.Combine(outDir, "od", "summary.json")));
    }

    [Fact]
    public async Task Map_SaveModelFailsAfterTraining_ResultsAreStillWritten()
    {
        // The checkpoint path passes the early check (its folder exists and is writable) but is taken by the stack's
        // result folder when the results are written, so saving fails for real after the work is done.
        string outDir = _c.NewOut();
        Directory.CreateDirectory(outDir);

        var (code, _, err) = await Run("map", "--stack", _c.PathOf("od.npy"), "--energies", _c.PathOf("energies.csv"),
            "--references", _c.PathOf("references.csv"), "--epochs", "1", "--max-training-spectra", "300", "--no-figures",
            "--save-model", Path.Combine(outDir, "od"), "--out", outDir);

        Assert.Equal(ExitCodes.Unexpected, code);
        AssertOneLineMessage(err, "the results were written to");
        Assert.True(File.Exists(Path.Combine(outDir, "od", "summary.json")));
        Assert.True(File.Exists(Path.Combine(outDir, "od", "phase-map.npy")));
    }

    // ---- 6: exclusive lock on the output folder ----

    [Fact]
    public async Task Map_OutputFolderLockedByAnotherRun_RefusedWithInvalidArgumentsAndLeftAlone()
    {
        string outDir = _c.NewOut();
        Directory.CreateDirectory(outDir);
        string[] args = ["map", "--stack", _c.PathOf("od.npy"), "--energies", _c.PathOf("energies.csv"), "--references", _c.PathOf("references.csv"),
            "--encoder", "pca", "--no-figures", "--out", outDir];
        using (new FileStream(Path.Combine(outDir, ".stxmphase.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var (code, _, err) = await Run(args);

            Assert.Equal(ExitCodes.InvalidArguments, code);
            AssertOneLineMessage(err, "in use by another stxmphase run");
            Assert.False(Directory.Exists(Path.Combine(outDir, "od")));
        }

        // A lock file left by a killed run (not held by anyone) does not block the next run, and is removed afterwards.
        var (after, _, err3) = await Run(args);
        Assert.True(after == 0, err3);
        Assert.False(File.Exists(Path.Combine(outDir, ".stxmphase.lock")));
    }

    [Fact]
    public async Task Map_TwoConcurrentRunsOnOneFolder_OneIsRefused()
    {
        string outDir = _c.NewOut();
        string[] args = ["map", "--stack", _c.PathOf("od.npy"), "--energies", _c.PathOf("energies.csv"), "--references", _c.PathOf("references.csv"),
            "--encoder", "gmvae", "--epochs", "3", "--max-training-spectra", "500", "--no-figures", "--out", outDir];

        var results = await Task.WhenAll(Task.Run(() => Run(args)), Task.Run(() => Run(args)));

        int[] codes = results.Select(r => r.Code).Order().ToArray();
        Assert.True(codes.SequenceEqual([0, ExitCodes.InvalidArguments]), string.Join(" | ", results.Select(r => $"{r.Code}: {r.Err}")));
    }

    // ---- 8: missing SDF frames may be allowed explicitly ----

    [Fact]
    public async Task Map_SdfMissingLastFrameWithAllowPartial_MapsWithAWarning()
    {
        string outDir = _c.NewOut();

        var (code, _, err) = await Run("map", "--stack", _c.SdfHeader, "--references", _c.PathOf("references.csv"), "--quantity", "transmission",
            "--encoder", "pca", "--no-figures", "--allow-partial-stack", "--out", outDir);

        Assert.True(code == 0, err);
        Assert.Contains("warning", err, StringComparison.Ordinal);
        Assert.Contains("scan_a012.xim", err, StringComparison.Ordinal);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "scan", "summary.json")));
        Assert.Equal(_c.Energies.Length - 1, summary.RootElement.GetProperty("energies_eV").GetArrayLength());
    }

    // ---- 9: result sets appear complete or not at all ----

    [Fact]
    public async Task Map_OverwriteThatFails_KeepsTheEarlierCompleteResults()
    {
        string outDir = _c.NewOut();
        string[] good = ["map", "--stack", _c.PathOf("od.npy"), "--energies", _c.PathOf("energies.csv"), "--references", _c.PathOf("references.csv"),
            "--encoder", "pca", "--no-figures", "--out", outDir];
        Assert.Equal(0, (await Run(good)).Code);
        string summary = File.ReadAllText(Path.Combine(outDir, "od", "summary.json"));

        // Same stack name, unusable content: the run fails after the output folder was opened.
        string brokenDir = Path.Combine(_c.Root, "broken-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(brokenDir);
        File.Copy(_c.PathOf("all-zero.npy"), Path.Combine(brokenDir, "od.npy"));
        var (code, _, err) = await Run("map", "--stack", Path.Combine(brokenDir, "od.npy"), "--energies", _c.PathOf("energies.csv"),
            "--references", _c.PathOf("references.csv"), "--encoder", "pca", "--no-figures", "--overwrite", "--out", outDir);

        Assert.Equal(ExitCodes.InvalidInput, code);
        AssertOneLineMessage(err, "no pixel could be analysed");
        Assert.Equal(summary, File.ReadAllText(Path.Combine(outDir, "od", "summary.json")));
        Assert.True(File.Exists(Path.Combine(outDir, "od", "phase-map.npy")));
        AssertNoTemporaries(outDir);
    }

    [Fact]
    public async Task Map_Overwrite_RemovesStaleTemporariesOfKilledRuns()
    {
        string outDir = _c.NewOut();
        string[] args = ["map", "--stack", _c.PathOf("od.npy"), "--energies", _c.PathOf("energies.csv"), "--references", _c.PathOf("references.csv"),
            "--encoder", "pca", "--no-figures", "--out", outDir];
        Assert.Equal(0, (await Run(args)).Code);
        string staleFile = Path.Combine(outDir, "od", ".phase-map.npy.99999.0123456789abcdef0123456789abcdef.tmp");
        string staleFolder = Path.Combine(outDir, ".od.99999.0123456789abcdef0123456789abcdef.tmp");
        File.WriteAllText(staleFile, "partial");
        Directory.CreateDirectory(staleFolder);
        File.WriteAllText(Path.Combine(staleFolder, "phase-map.npy"), "partial");

        var (code, _, err) = await Run([.. args, "--overwrite"]);

        Assert.True(code == 0, err);
        Assert.False(File.Exists(staleFile));
        Assert.False(Directory.Exists(staleFolder));
        AssertNoTemporaries(outDir);
    }

    [Fact]
    public async Task Map_Overwrite_KeepsTheUsersOwnFilesInTheResultFolder()
    {
        string outDir = _c.NewOut();
        string[] args = ["map", "--stack", _c.PathOf("od.npy"), "--energies", _c.PathOf("energies.csv"), "--references", _c.PathOf("references.csv"),
            "--encoder", "pca", "--no-figures", "--out", outDir];
        Assert.Equal(0, (await Run(args)).Code);
        File.WriteAllText(Path.Combine(outDir, "od", "my-notes.txt"), "keep me");

        var (code, _, err) = await Run([.. args, "--overwrite"]);

        Assert.True(code == 0, err);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(outDir, "od", "my-notes.txt")));
        AssertNoTemporaries(outDir);
    }

    [Fact]
    public async Task Map_StackWithTheLongestFileName_WritesItsResultFolder()
    {
        // The temporary result folder adds a process id and a GUID to the name; it must still fit in 255 characters.
        string dir = Path.Combine(_c.Root, "long-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dir);
        string stem = new('s', 250);
        File.Copy(_c.PathOf("od.npy"), Path.Combine(dir, stem + ".npy"));
        string outDir = _c.NewOut();

        var (code, _, err) = await Run("map", "--stack", Path.Combine(dir, stem + ".npy"), "--energies", _c.PathOf("energies.csv"),
            "--references", _c.PathOf("references.csv"), "--encoder", "pca", "--no-figures", "--out", outDir);

        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(outDir, stem, "summary.json")));
        AssertNoTemporaries(outDir);
    }

    [Fact]
    public async Task Map_FailedRunInExistingFolder_LeavesNoEmptyStackFolder()
    {
        string outDir = _c.NewOut();
        Directory.CreateDirectory(outDir);

        var (code, _, _) = await Run("map", "--stack", _c.PathOf("all-zero.npy"), "--energies", _c.PathOf("energies.csv"),
            "--references", _c.PathOf("references.csv"), "--encoder", "pca", "--out", outDir);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outDir));
    }

    [Fact]
    public void WriteStaged_WriteFails_ReportsAnOutputErrorAndLeavesNothing()
    {
        string outDir = _c.NewOut();
        using (OutputFolders output = OutputFolders.Open(outDir, ["s"], overwrite: false))
        {
            // A real failure of the file system while writing (here: a folder that does not exist inside the staging folder).
            var ex = Assert.Throws<OutputWriteException>(() =>
                Pipelines.WriteStaged(output, "s", staging => File.WriteAllBytes(Path.Combine(staging, "missing", "phase-map.npy"), [1])));

            Assert.Equal(ExitCodes.Unexpected, ErrorMapper.ExitCodeFor(ex));
            string message = ErrorMapper.Describe(ex);
            Assert.StartsWith("stxmphase: cannot write the results", message, StringComparison.Ordinal);
            Assert.DoesNotContain("unexpected", message, StringComparison.Ordinal);
            Assert.DoesNotContain("unreadable", message, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(outDir));
    }

    // ---- 10: /dev/zero ----

    [Fact]
    public async Task Map_ReferencesFromDevZero_FailsQuicklyWithBoundedMemory()
    {
        if (!File.Exists("/dev/zero"))
        {
            return; // Linux and macOS only; the long-line corpus case covers the rule everywhere.
        }

        long before = GC.GetTotalAllocatedBytes(precise: false);
        var (code, _, err) = await Run("map", "--stack", _c.PathOf("od.npy"), "--energies", _c.PathOf("energies.csv"),
            "--references", "/dev/zero", "--out", _c.NewOut());

        Assert.Equal(ExitCodes.InvalidInput, code);
        AssertOneLineMessage(err, "/dev/zero");
        Assert.True(GC.GetTotalAllocatedBytes(precise: false) - before < (64L << 20), "reading /dev/zero allocated more than 64 MB");
    }

    // ---- 12: notes and warnings ----

    [Fact]
    public async Task Map_SidecarEnergiesBesideTheStack_AreNamedInTheOutput()
    {
        var (code, stdout, err) = await Run("map", "--stack", Path.Combine(_c.Root, "sidecar", "stack.npy"),
            "--references", _c.PathOf("references.csv"), "--encoder", "pca", "--no-figures", "--out", _c.NewOut());

        Assert.True(code == 0, err);
        string both = stdout + err;
        Assert.Contains("stack.txt", both, StringComparison.Ordinal);
        Assert.Contains("--energies", both, StringComparison.Ordinal);
        Assert.Single(both.Split('\n'), line => line.Contains("stack.txt", StringComparison.Ordinal)); // said once, not twice
    }

    [Fact]
    public async Task Map_NegativeOpticalDensityEverywhere_Warns()
    {
        var (_, _, err) = await Run("map", "--stack", _c.PathOf("negative-od.npy"), "--energies", _c.PathOf("energies.csv"),
            "--references", _c.PathOf("references.csv"), "--encoder", "pca", "--no-figures", "--out", _c.NewOut());

        Assert.Contains("warning", err, StringComparison.Ordinal);
        Assert.Contains("negative", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_ValidStack_HasNoWarnings()
    {
        var (code, _, err) = await Run("map", "--stack", _c.PathOf("od.npy"), "--energies", _c.PathOf("energies.csv"),
            "--references", _c.PathOf("references.csv"), "--encoder", "pca", "--no-figures", "--out", _c.NewOut());

        Assert.True(code == 0, err);
        Assert.Equal(string.Empty, err);
    }

    // ---- helpers ----

    internal static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);

    /// <summary>
    /// Asserts that stderr holds exactly one message line (<c>stxmphase: …</c>, not a warning or note) containing
    /// <paramref name="fragment"/>, besides at most the usage hint, and no stack trace.
    /// </summary>
    internal static void AssertOneLineMessage(string err, string fragment)
    {
        Assert.DoesNotContain("Unhandled exception", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        string[] lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string[] messages = lines.Where(l => !l.StartsWith("stxmphase: warning:", StringComparison.Ordinal)
            && !l.StartsWith("stxmphase: note:", StringComparison.Ordinal)
            && !l.StartsWith("Run ", StringComparison.Ordinal)
            && !l.StartsWith("Format:", StringComparison.Ordinal)).ToArray();
        Assert.True(messages.Length == 1, $"expected one message line; got:\n{err}");
        Assert.StartsWith("stxmphase: ", messages[0], StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", messages[0], StringComparison.Ordinal);
        Assert.Contains(fragment, messages[0], StringComparison.Ordinal);
    }

    /// <summary>Asserts that a failed run left no output folder (neither files nor an empty folder).</summary>
    internal static void AssertOutputAbsent(string outDir)
    {
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any(), $"'{outDir}' was left with files");
        Assert.False(Directory.Exists(outDir), $"'{outDir}' was left behind (empty)");
    }

    internal static void AssertNoTemporaries(string outDir) =>
        Assert.Empty(Directory.EnumerateFileSystemEntries(outDir, "*.tmp", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFileSystemEntries(outDir, ".stxmphase.lock", SearchOption.AllDirectories)));
}
