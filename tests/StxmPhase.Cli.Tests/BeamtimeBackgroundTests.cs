using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli.Tests;

/// <summary>A beamtime model carries its <c>--background-spectrum</c> by value (format version 2) and still reads version 1 (path only).</summary>
public sealed class BeamtimeBackgroundTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-beambg-" + Guid.NewGuid().ToString("N")[..8]);

    public BeamtimeBackgroundTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static byte[] Bytes(string folder, string file) => File.ReadAllBytes(Path.Combine(folder, file));

    private string WriteCarbon(string name, double scale = 1)
    {
        string path = Path.Combine(_dir, name);
        var lines = new List<string> { "energy,carbon" };
        for (double e = 500; e <= 550.001; e += 0.1)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{e:0.0},{scale * NaVanadiumFluorophosphateReferences.CarbonLayerAbsorption(e):R}"));
        }

        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>Rewrites a model as format version 1 wrote it: the background spectrum named by <paramref name="spectrumPath"/> only.</summary>
    private static void WriteVersion1(string model, string target, string spectrumPath)
    {
        byte[] bytes = File.ReadAllBytes(model);
        int jsonLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        JsonNode header = JsonNode.Parse(bytes.AsSpan(16, jsonLength))!;
        header["format_version"] = 1;
        JsonObject settings = header["settings"]!.AsObject();
        Assert.True(settings.Remove("background_spectrum_values"));
        settings["background_spectrum"] = spectrumPath;
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        byte[] rest = bytes.AsSpan(16 + jsonLength, bytes.Length - 16 - jsonLength - 32).ToArray();
        byte[] old = [.. bytes.AsSpan(0, 16), .. json, .. rest, .. new byte[32]];
        BinaryPrimitives.WriteUInt32LittleEndian(old.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(old.AsSpan(12), (uint)json.Length);
        SHA256.HashData(old.AsSpan(0, old.Length - 32), old.AsSpan(old.Length - 32));
        File.WriteAllBytes(target, old);
    }

    [Fact]
    public async Task MapModel_BackgroundSpectrumStoredByValue_FileGoneSameMaps_OtherFileExit2_OldModelReadsPath()
    {
        string data = Path.Combine(_dir, "d");
        Assert.Equal(0, (await CliRunner.Run("synth", "--out", data, "--width", "40", "--height", "40", "--seed", "3",
            "--carbon-layer", "1")).Code);
        string carbon = WriteCarbon("carbon.csv");
        string model = Path.Combine(_dir, "model.ckpt");
        string stack = Path.Combine(data, "stack.npy");
        var (code, _, err) = await CliRunner.Run("train", "--stack", stack, "--references", Path.Combine(data, "references.csv"),
            "--model", model, "--strategy", "none", "--background", "linear", "--background-spectrum", carbon, "-q");
        Assert.True(code == 0, err);

        string[] map = ["map", "--model", model, "--stack", stack, "--no-figures", "-q", "--threads", "1"];
        (code, _, err) = await CliRunner.Run([.. map, "--out", Path.Combine(_dir, "a")]);
        Assert.True(code == 0, err);

        // The spectrum file is gone (another node, a later session): the model's stored values give the same maps.
        string moved = Path.Combine(_dir, "elsewhere.csv");
        File.Move(carbon, moved);
        (code, _, err) = await CliRunner.Run([.. map, "--out", Path.Combine(_dir, "b")]);
        Assert.True(code == 0, err);
        foreach (string file in new[] { "phase-map.npy", "posterior.npy", "pcc-phase-map.npy" })
        {
            Assert.Equal(Bytes(Path.Combine(_dir, "a", "stack"), file), Bytes(Path.Combine(_dir, "b", "stack"), file));
        }

        using (JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "b", "stack", "summary.json"))))
        {
            Assert.Equal("linear+carbon.csv", summary.RootElement.GetProperty("options").GetProperty("background").GetString());
        }

        // The same file under another name matches by hash; another spectrum is a usage error naming both hashes.
        (code, _, err) = await CliRunner.Run([.. map, "--out", Path.Combine(_dir, "c"), "--background-spectrum", moved]);
        Assert.True(code == 0, err);
        string other = WriteCarbon("other.csv", scale: 2);
        (code, _, err) = await CliRunner.Run([.. map, "--out", Path.Combine(_dir, "d2"), "--background-spectrum", other]);
        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains("--background-spectrum", err, StringComparison.Ordinal);
        Assert.Contains("other.csv", err, StringComparison.Ordinal);
        Assert.Contains("'carbon.csv'", err, StringComparison.Ordinal);

        // A version-1 model (path only) reads the file at its path, and says which file is missing when it is gone.
        string old = Path.Combine(_dir, "old.ckpt");
        WriteVersion1(model, old, moved);
        string[] mapOld = ["map", "--model", old, "--stack", stack, "--no-figures", "-q", "--threads", "1"];
        (code, _, err) = await CliRunner.Run([.. mapOld, "--out", Path.Combine(_dir, "e")]);
        Assert.True(code == 0, err);
        Assert.Equal(Bytes(Path.Combine(_dir, "a", "stack"), "phase-map.npy"), Bytes(Path.Combine(_dir, "e", "stack"), "phase-map.npy"));
        File.Delete(moved);
        (code, _, err) = await CliRunner.Run([.. mapOld, "--out", Path.Combine(_dir, "f")]);
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains(old, err, StringComparison.Ordinal);
        Assert.Contains(moved, err, StringComparison.Ordinal);
    }
}
