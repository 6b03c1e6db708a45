using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace StxmPhase.Benchmarks.Correlation;

/// <summary>Adds Mpixel/s and GB/s columns to the correlation benchmarks (pixels = Side², or the Pixels parameter).</summary>
public class ThroughputConfig : ManualConfig
{
    /// <summary>Bytes read per pixel: 13 energies × float32.</summary>
    public const int BytesRead = 13 * 4;

    /// <summary>Bytes written per pixel: 5 correlations, label, second label, Q1, Q2, R (4 B each) + ambiguous + status (1 B each).</summary>
    public const int BytesWritten = (5 * 4) + (5 * 4) + 1 + 1;

    public ThroughputConfig()
    {
        AddColumn(new ThroughputColumn("Mpx/s", bytesPerPixel: 0));
        AddColumn(new ThroughputColumn("GB/s", bytesPerPixel: BytesRead + BytesWritten));
    }

    private sealed class ThroughputColumn(string name, int bytesPerPixel) : IColumn
    {
        public string Id => "Throughput." + name;

        public string ColumnName => name;

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => bytesPerPixel == 0
            ? "Million pixels per second (Side² / mean time)"
            : $"GB/s counting {BytesRead} B read + {BytesWritten} B written per pixel";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            BenchmarkReport? report = summary[benchmarkCase];
            object? side = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Side")?.Value;
            object? count = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Pixels")?.Value;
            if (report?.ResultStatistics is null || (side is not int && count is not int))
            {
                return "-";
            }

            double seconds = report.ResultStatistics.Mean * 1e-9;
            double pixels = side is int s ? (double)s * s : (int)count!;
            double value = bytesPerPixel == 0 ? pixels / seconds / 1e6 : pixels * bytesPerPixel / seconds / 1e9;
            return value.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
