// Read a measured NXstxm stack, align it, convert it to optical density and find the particles.
// Run from the repository root:  dotnet run docs/examples/read-real-stack.cs [file.hdf5]
#:project ../../src/StxmPhase.IO
#:property TreatWarningsAsErrors=false
#:property AnalysisMode=Default

using StxmPhase.IO;
using StxmPhase.Spectra;

string path = args.Length > 0 ? args[0] : "tests/TestData/io/real/exampledata/Sample_Stack_2021-03-16_128.hdf5";

// What is in the file, without reading all of it.
Console.WriteLine(StackFile.Inspect(path));

// Read the stack (format detected from the header), register the energy images, then OD with automatic I0.
SpectralStack stack = StackFile.Read(path);
StackAlignmentResult aligned = StackAligner.Align(stack);
Console.WriteLine($"shifts (px): {string.Join(", ", aligned.Shifts)}");
OpticalDensityResult od = OpticalDensity.FromTransmission(aligned.Aligned);
Console.WriteLine($"I0 per energy: {string.Join(", ", od.I0.Select(v => v.ToString("F1")))}; {od.InvalidPixelCount} pixels with undefined OD");

// Particles: Otsu threshold on the integrated optical density.
ParticleMaskResult particles = ParticleMask.Compute(od.OpticalDensity, include: od.ValidMask);
Console.WriteLine($"particle pixels: {particles.Mask.Count} of {od.OpticalDensity.PixelCount} (threshold {particles.Threshold:F3})");
