namespace StxmPhase.IO;

/// <summary>
/// A read-only view of a seekable stream starting at a fixed offset (skips an HDF5 user block). Optionally reads a
/// byte range as zeros: the HDF5 library treats addresses as relative to the superblock whatever base address is
/// stored, while PureHDF adds the stored base address, so the view blanks that field.
/// </summary>
internal sealed class OffsetStream : Stream
{
    private readonly Stream _inner;
    private readonly long _offset;

    private readonly long _zeroStart;
    private readonly long _zeroEnd;

    public OffsetStream(Stream inner, long offset, long zeroStart = 0, int zeroLength = 0)
    {
        _inner = inner;
        _offset = offset;
        _zeroStart = zeroStart;
        _zeroEnd = zeroStart + zeroLength;
        _inner.Position = offset;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _inner.Length - _offset;

    public override long Position
    {
        get => _inner.Position - _offset;
        set => _inner.Position = value + _offset;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        long start = Position;
        int n = _inner.Read(buffer);
        long lo = Math.Max(start, _zeroStart);
        long hi = Math.Min(start + n, _zeroEnd);
        if (lo < hi)
        {
            buffer.Slice((int)(lo - start), (int)(hi - lo)).Clear();
        }

        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => origin switch
    {
        SeekOrigin.Begin => _inner.Seek(offset + _offset, SeekOrigin.Begin) - _offset,
        SeekOrigin.Current => _inner.Seek(offset, SeekOrigin.Current) - _offset,
        _ => _inner.Seek(offset, SeekOrigin.End) - _offset,
    };

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
