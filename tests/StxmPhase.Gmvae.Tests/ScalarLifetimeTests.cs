using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using StxmPhase.Gmvae;
using TorchSharp;

namespace StxmPhase.Gmvae.Tests;

/// <summary>
/// TorchSharp's implicitly converted scalars can be finalised during the native call that reads them
/// (SafeTensorMath remarks); these tests keep the GMVAE code off them and check the replacement optimiser.
/// </summary>
public class ScalarLifetimeTests
{
    [Fact]
    public void GmvaeAssembly_ReferencesNoImplicitScalarConversionOrScalarOperator()
    {
        string path = typeof(GmvaeNetwork).Assembly.Location;
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        MetadataReader md = pe.GetMetadataReader();
        var offenders = new List<string>();
        foreach (MemberReferenceHandle handle in md.MemberReferences)
        {
            MemberReference member = md.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference)
            {
                continue;
            }

            TypeReference parent = md.GetTypeReference((TypeReferenceHandle)member.Parent);
            string type = md.GetString(parent.Name);
            string name = md.GetString(member.Name);
            bool banned = (type, name) switch
            {
                ("Scalar", "op_Implicit") => true,                       // t.op(0.5): a temporary scalar
                ("Tensor", "op_Addition") => true,                       // a + b passes a temporary α = 1
                ("Tensor", "op_Multiply" or "op_Division" or "op_Subtraction") => HasPrimitiveParameter(md, member),
                ("optim", "Adam") => true,                               // TorchSharp's Adam converts its constants implicitly
                _ => false,
            };
            if (banned)
            {
                offenders.Add($"{type}.{name}");
            }
        }

        Assert.True(offenders.Count == 0, "StxmPhase.Gmvae uses " + string.Join(", ", offenders.Distinct()) + "; use SafeTensorMath / GmvaeAdam.");
    }

    [Fact]
    public void GmvaeAdam_FlatBuffer_MatchesTorchSharpAdam_OverTenSteps()
    {
        TorchNative.EnsureLoaded();
        var options = TestData.Small();
        torch.manual_seed(5);
        using var ours = new GmvaeNetwork(13, options);
        torch.manual_seed(5);
        using var reference = new GmvaeNetwork(13, options);
        var (spectra, _) = TestData.Clusters(64, 4);
        using var batch = torch.tensor(spectra, [64, 13]);
        using var oursOptimizer = new GmvaeAdam(ours.parameters(), 1e-3);
        using var referenceOptimizer = torch.optim.Adam(reference.parameters(), lr: 1e-3);
        ours.eval(); // deterministic forward (no dropout, running batch-norm statistics): both see the same gradients
        reference.eval();
        for (int step = 0; step < 10; step++)
        {
            using (var scope = torch.NewDisposeScope())
            {
                var (loss, _, _) = GmvaeTrainer.Objective(ours, batch, options, training: false);
                oursOptimizer.ZeroGrad();
                loss.backward();
                oursOptimizer.Step();
            }

            using (var scope = torch.NewDisposeScope())
            {
                var (loss, _, _) = GmvaeTrainer.Objective(reference, batch, options, training: false);
                referenceOptimizer.zero_grad();
                loss.backward();
                referenceOptimizer.step();
            }
        }

        Assert.True(oursOptimizer.UsesFlatBuffer, "backward no longer accumulates into the flat gradient views");
        var expected = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        double worst = 0;
        foreach (var (name, parameter) in ours.named_parameters())
        {
            using var diff = (parameter.detach() - expected[name].detach()).abs().max();
            worst = Math.Max(worst, diff.item<float>());
        }

        // 10 steps of lr 1e-3 move a parameter by up to 1e-2; the two differ only in float32 rounding.
        Assert.True(worst < 1e-6, $"max |Δθ| between GmvaeAdam and torch.optim.Adam after 10 steps: {worst:G3}");
    }

    private static bool HasPrimitiveParameter(MetadataReader md, MemberReference member)
    {
        var signature = member.DecodeMethodSignature(new PrimitiveOrOther(), null);
        return signature.ParameterTypes.Any(p => p);
    }

    /// <summary>Decodes a signature type as "is a primitive number".</summary>
    private sealed class PrimitiveOrOther : ISignatureTypeProvider<bool, object?>
    {
        public bool GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode is PrimitiveTypeCode.Double or PrimitiveTypeCode.Single
            or PrimitiveTypeCode.Int32 or PrimitiveTypeCode.Int64;

        public bool GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => false;

        public bool GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => false;

        public bool GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle,
            byte rawTypeKind) => false;

        public bool GetSZArrayType(bool elementType) => false;

        public bool GetArrayType(bool elementType, ArrayShape shape) => false;

        public bool GetByReferenceType(bool elementType) => false;

        public bool GetPointerType(bool elementType) => false;

        public bool GetGenericInstantiation(bool genericType, System.Collections.Immutable.ImmutableArray<bool> typeArguments) => false;

        public bool GetGenericMethodParameter(object? genericContext, int index) => false;

        public bool GetGenericTypeParameter(object? genericContext, int index) => false;

        public bool GetFunctionPointerType(MethodSignature<bool> signature) => false;

        public bool GetModifiedType(bool modifier, bool unmodifiedType, bool isRequired) => unmodifiedType;

        public bool GetPinnedType(bool elementType) => elementType;
    }
}
