namespace StxmPhase.IO;

/// <summary>A read-only view of a seekable stream starting at a fixed offset (skips an HDF5 user block).</summary>
internal sealed class OffsetStream : Stream
{
    private readonly Stream _inner;
    private readonly long _offset;

    public OffsetStream(Stream inner, long offset)
    {
        _inner = inner;
        _offset = offset;
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

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _inner.Read(buffer);

    public override long Seek(long offset, SeekOrigin origin) => origin switch
    {
        SeekOrigin.Begin => _inner.Seek(offset + _offset, SeekOrigin.Begin) - _offset,
        SeekOrigin.Current => _inner.Seek(offset, SeekOrigin.Current) - _offset,
        _ => _inner.Seek(offset, SeekOrigin.End) - _offset,
    };

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
