using System.Diagnostics;
using StxmPhase.TestUtilities;

namespace StxmPhase.Examples.Tests;

public class ExamplesTests
{
    private static (int Code, string Output) RunExample(string file, params string[] args)
    {
        string root = RepositoryPaths.Root;
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add("run");
        psi.ArgumentList.Add(Path.Combine("docs", "examples", file));
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("Release");
        psi.ArgumentList.Add("--");
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in 8 minutes.");
        }

        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void Examples_EveryScriptIsCovered()
    {
        string[] scripts = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "docs", "examples"), "*.cs").Select(Path.GetFileName).ToArray()!;
        Assert.Equal(new[] { "map-a-stack.cs", "read-real-stack.cs" }, scripts.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void MapAStack_RunsAndReportsAccuracy()
    {
        var (code, output) = RunExample("map-a-stack.cs", "48", "2");
        Assert.True(code == 0, output);
        Assert.Contains("accuracy: PCC", output, StringComparison.Ordinal);
        Assert.Contains("Na3.0", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRealStack_RunsOnTheCommittedNxstxmFile()
    {
        var (code, output) = RunExample("read-real-stack.cs");
        Assert.True(code == 0, output);
        Assert.Contains("particle pixels:", output, StringComparison.Ordinal);
        Assert.Contains("I0 per energy:", output, StringComparison.Ordinal);
    }
}
