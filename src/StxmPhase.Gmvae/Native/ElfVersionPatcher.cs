using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace StxmPhase.Gmvae;

/// <summary>One version requirement (<c>Elf64_Vernaux</c>) of an ELF shared object, with the dynamic symbols bound to it.</summary>
/// <param name="File">The library the version is required from (e.g. <c>libstdc++.so.6</c>).</param>
/// <param name="Version">The version name (e.g. <c>GLIBCXX_3.4.32</c>).</param>
/// <param name="Flags">The <c>vna_flags</c> value (<c>VER_FLG_WEAK</c> = 2).</param>
/// <param name="Index">The version index (<c>vna_other</c>) used in <c>.gnu.version</c>.</param>
/// <param name="FlagsOffset">The file offset of <c>vna_flags</c>.</param>
/// <param name="Symbols">Names of the dynamic symbols whose <c>.gnu.version</c> entry is <see cref="Index"/>.</param>
internal sealed record ElfVersionRequirement(string File, string Version, ushort Flags, ushort Index, int FlagsOffset, IReadOnlyList<string> Symbols)
{
    /// <summary>Gets whether the requirement is already weak.</summary>
    public bool IsWeak => (Flags & ElfVersionPatcher.VerFlagWeak) != 0;
}

/// <summary>
/// Reads and patches the GNU symbol-version requirements (<c>.gnu.version_r</c>) of a 64-bit little-endian ELF
/// shared object. Used to mark a libstdc++ version requirement weak (<c>VER_FLG_WEAK</c>) so that the dynamic loader
/// of an older distribution accepts the library when the only symbol bound to that version is never resolved at
/// load time.
/// </summary>
/// <remarks>
/// Layout (System V gABI and the LSB "Symbol Versioning" chapter): the ELF header gives the section header table
/// (<c>e_shoff</c>, <c>e_shentsize</c>, <c>e_shnum</c>); the section of type <c>SHT_GNU_verneed</c> holds a chain of
/// 16-byte <c>Elf64_Verneed</c> records (<c>vn_cnt</c>, <c>vn_file</c>, <c>vn_aux</c>, <c>vn_next</c>), each followed
/// by a chain of 16-byte <c>Elf64_Vernaux</c> records (<c>vna_flags</c> at +4, <c>vna_other</c> at +6,
/// <c>vna_name</c> at +8, <c>vna_next</c> at +12); names index the string table named by the section's
/// <c>sh_link</c>. The <c>SHT_GNU_versym</c> section holds one 16-bit version index per <c>.dynsym</c> entry.
/// Every offset is bounds-checked; a malformed file raises <see cref="InvalidDataException"/>.
/// </remarks>
internal static class ElfVersionPatcher
{
    /// <summary>The <c>VER_FLG_WEAK</c> bit of <c>vna_flags</c>.</summary>
    public const ushort VerFlagWeak = 0x2;

    private const uint ShtDynsym = 11;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;

    /// <summary>Returns whether <paramref name="data"/> starts like a 64-bit little-endian ELF file.</summary>
    /// <param name="data">The file contents.</param>
    /// <returns><see langword="true"/> for an ELF64 LSB file.</returns>
    public static bool IsElf64LittleEndian(ReadOnlySpan<byte> data) =>
        data.Length >= 64 && data[0] == 0x7f && data[1] == (byte)'E' && data[2] == (byte)'L' && data[3] == (byte)'F'
        && data[4] == 2 && data[5] == 1;

    /// <summary>Reads every version requirement of the file, with the dynamic symbols bound to each.</summary>
    /// <param name="data">The file contents.</param>
    /// <returns>The requirements in file order.</returns>
    /// <exception cref="InvalidDataException">The file is not an ELF64 LSB object or a structure lies outside the file.</exception>
    public static IReadOnlyList<ElfVersionRequirement> ReadRequirements(ReadOnlySpan<byte> data)
    {
        if (!IsElf64LittleEndian(data))
        {
            throw new InvalidDataException("The file is not a 64-bit little-endian ELF object.");
        }

        long shoff = checked((long)ReadU64(data, 0x28));
        int shentsize = ReadU16(data, 0x3A);
        int shnum = ReadU16(data, 0x3C);
        if (shentsize < 64 || shnum == 0)
        {
            throw new InvalidDataException(
                string.Create(CultureInfo.InvariantCulture, $"The ELF section header table is invalid (e_shentsize {shentsize}, e_shnum {shnum})."));
        }

        var sections = new Section[shnum];
        for (int i = 0; i < shnum; i++)
        {
            int at = ToOffset(data, shoff + ((long)i * shentsize), 64);
            sections[i] = new Section(
                ReadU32(data, at + 4),
                checked((long)ReadU64(data, at + 24)),
                checked((long)ReadU64(data, at + 32)),
                ReadU32(data, at + 40),
                ReadU32(data, at + 44),
                checked((long)ReadU64(data, at + 56)));
        }

        var symbolsByIndex = ReadVersionedSymbols(data, sections);
        var result = new List<ElfVersionRequirement>();
        foreach (Section s in sections)
        {
            if (s.Type != ShtGnuVerneed)
            {
                continue;
            }

            Section strtab = SectionAt(sections, s.Link);
            long off = s.Offset;
            uint needCount = s.Info;
            for (uint n = 0; n < needCount; n++)
            {
                int vn = ToOffset(data, off, 16);
                int cnt = ReadU16(data, vn + 2);
                string file = ReadString(data, strtab, ReadU32(data, vn + 4));
                long aux = off + ReadU32(data, vn + 8);
                for (int a = 0; a < cnt; a++)
                {
                    int va = ToOffset(data, aux, 16);
                    ushort flags = ReadU16(data, va + 4);
                    ushort index = ReadU16(data, va + 6);
                    string name = ReadString(data, strtab, ReadU32(data, va + 8));
                    IReadOnlyList<string> symbols = symbolsByIndex.TryGetValue(index, out var list) ? list : Array.Empty<string>();
                    result.Add(new ElfVersionRequirement(file, name, flags, index, va + 4, symbols));
                    uint next = ReadU32(data, va + 12);
                    if (next == 0)
                    {
                        break;
                    }

                    aux += next;
                }

                uint nextNeed = ReadU32(data, vn + 12);
                if (nextNeed == 0)
                {
                    break;
                }

                off += nextNeed;
            }
        }

        return result;
    }

    /// <summary>Sets <c>VER_FLG_WEAK</c> on every requirement named <paramref name="version"/>.</summary>
    /// <param name="data">The file contents, modified in place.</param>
    /// <param name="version">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
    /// <returns>The number of requirements changed (already-weak ones are not counted).</returns>
    /// <exception cref="InvalidDataException">The file is malformed.</exception>
    public static int MarkWeak(Span<byte> data, string version)
    {
        int changed = 0;
        foreach (ElfVersionRequirement r in ReadRequirements(data))
        {
            if (r.Version == version && !r.IsWeak)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(data.Slice(r.FlagsOffset, 2), (ushort)(r.Flags | VerFlagWeak));
                changed++;
            }
        }

        return changed;
    }

    private static Dictionary<ushort, List<string>> ReadVersionedSymbols(ReadOnlySpan<byte> data, Section[] sections)
    {
        var map = new Dictionary<ushort, List<string>>();
        Section? versym = null;
        Section? dynsym = null;
        foreach (Section s in sections)
        {
            if (s.Type == ShtGnuVersym)
            {
                versym = s;
            }
            else if (s.Type == ShtDynsym)
            {
                dynsym = s;
            }
        }

        if (versym is null || dynsym is null)
        {
            return map;
        }

        Section strtab = SectionAt(sections, dynsym.Value.Link);
        long entsize = dynsym.Value.EntrySize == 0 ? 24 : dynsym.Value.EntrySize;
        long count = Math.Min(dynsym.Value.Size / entsize, versym.Value.Size / 2);
        for (long i = 0; i < count; i++)
        {
            ushort index = (ushort)(ReadU16(data, ToOffset(data, versym.Value.Offset + (2 * i), 2)) & 0x7fff);
            if (index < 2)
            {
                continue; // 0 = local, 1 = global (unversioned)
            }

            int sym = ToOffset(data, dynsym.Value.Offset + (i * entsize), 24);
            string name = ReadString(data, strtab, ReadU32(data, sym));
            if (!map.TryGetValue(index, out var list))
            {
                list = new List<string>();
                map[index] = list;
            }

            list.Add(name);
        }

        return map;
    }

    private static Section SectionAt(Section[] sections, uint index) =>
        index < sections.Length
            ? sections[index]
            : throw new InvalidDataException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The ELF section link {index} is outside the section table ({sections.Length} sections)."));

    private static string ReadString(ReadOnlySpan<byte> data, Section strtab, uint nameOffset)
    {
        int start = ToOffset(data, strtab.Offset + nameOffset, 1);
        int end = data[start..].IndexOf((byte)0);
        if (end < 0)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"An ELF string at offset {start} is not terminated."));
        }

        return Encoding.ASCII.GetString(data.Slice(start, end));
    }

    private static int ToOffset(ReadOnlySpan<byte> data, long offset, int length)
    {
        if (offset < 0 || offset + length > data.Length)
        {
            throw new InvalidDataException(
                string.Create(CultureInfo.InvariantCulture,
                    $"An ELF structure at offset {offset} (+{length} bytes) lies outside the file ({data.Length} bytes)."));
        }

        return (int)offset;
    }

    private static ushort ReadU16(ReadOnlySpan<byte> data, int offset) =>
        BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(ToOffset(data, offset, 2), 2));

    private static uint ReadU32(ReadOnlySpan<byte> data, int offset) =>
        BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(ToOffset(data, offset, 4), 4));

    private static ulong ReadU64(ReadOnlySpan<byte> data, int offset) =>
        BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(ToOffset(data, offset, 8), 8));

    private readonly record struct Section(uint Type, long Offset, long Size, uint Link, uint Info, long EntrySize);
}
