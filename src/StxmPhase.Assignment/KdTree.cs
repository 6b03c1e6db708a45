namespace StxmPhase.Assignment;

/// <summary>
/// A static k-d tree over float64 points for exact k-nearest-neighbour queries in the Euclidean metric, with
/// neighbours ordered by (squared distance, original index).
/// </summary>
/// <remarks>
/// Built by recursive median splits along the dimension of largest spread (ties to the lowest dimension); the split
/// uses a deterministic quickselect on (coordinate, index), so the tree depends only on the input. Each node keeps its
/// bounding box; a query visits the nearer child first and skips a node only when the squared distance from the query
/// to its box is strictly greater than the current k-th candidate's, so exact ties are resolved by index exactly as
/// a brute-force sort by (distance, index) would.
/// </remarks>
internal sealed class KdTree
{
    private const int LeafSize = 16;

    private readonly int _dimension;
    private readonly double[] _points;   // tree order, n × d
    private readonly int[] _index;       // original index of each tree-order point
    private readonly List<int> _start = [];
    private readonly List<int> _end = [];
    private readonly List<int> _left = [];
    private readonly List<int> _right = [];
    private readonly List<double> _box = []; // per node: d lows then d highs
    private readonly int[] _nodeStart;
    private readonly int[] _nodeEnd;
    private readonly int[] _nodeLeft;
    private readonly int[] _nodeRight;
    private readonly double[] _nodeBox;

    public KdTree(ReadOnlySpan<float> points, int count, int dimension)
    {
        _dimension = dimension;
        double[] source = new double[count * dimension];
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = points[i];
        }

        int[] perm = new int[count];
        for (int i = 0; i < count; i++)
        {
            perm[i] = i;
        }

        double[] keys = new double[count];
        Build(source, perm, keys, 0, count);
        _nodeStart = [.. _start];
        _nodeEnd = [.. _end];
        _nodeLeft = [.. _left];
        _nodeRight = [.. _right];
        _nodeBox = [.. _box];

        _points = new double[count * dimension];
        for (int i = 0; i < count; i++)
        {
            Array.Copy(source, perm[i] * dimension, _points, i * dimension, dimension);
        }

        _index = perm;
    }

    public int Count => _index.Length;

    /// <summary>
    /// Finds the <paramref name="k"/> nearest neighbours of <paramref name="query"/>, sorted by (squared distance,
    /// index). <paramref name="k"/> must be in [1, Count].
    /// </summary>
    public void Query(ReadOnlySpan<double> query, int k, Span<double> distance2, Span<int> index)
    {
        int found = 0;
        Search(0, query, k, distance2, index, ref found, BoxDistance2(0, query));
    }

    private int Build(double[] source, int[] perm, double[] keys, int start, int end)
    {
        int d = _dimension;
        int node = _start.Count;
        _start.Add(start);
        _end.Add(end);
        _left.Add(-1);
        _right.Add(-1);
        int boxAt = _box.Count;
        for (int j = 0; j < 2 * d; j++)
        {
            _box.Add(0);
        }

        int bestDim = 0;
        double bestSpread = -1;
        for (int j = 0; j < d; j++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int i = start; i < end; i++)
            {
                double v = source[(perm[i] * d) + j];
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }

            _box[boxAt + j] = lo;
            _box[boxAt + d + j] = hi;
            if (hi - lo > bestSpread)
            {
                bestSpread = hi - lo;
                bestDim = j;
            }
        }

        if (end - start <= LeafSize || bestSpread <= 0)
        {
            return node;
        }

        int mid = start + ((end - start) / 2);
        for (int i = start; i < end; i++)
        {
            keys[i] = source[(perm[i] * d) + bestDim];
        }

        Select(keys.AsSpan(start, end - start), perm.AsSpan(start, end - start), mid - start);
        int left = Build(source, perm, keys, start, mid);
        int right = Build(source, perm, keys, mid, end);
        _left[node] = left;
        _right[node] = right;
        return node;
    }

    /// <summary>Partially sorts (keys, idx) pairs by (key, idx) so that position k holds the k-th smallest.</summary>
    private static void Select(Span<double> keys, Span<int> idx, int k)
    {
        int lo = 0, hi = keys.Length - 1;
        while (hi > lo)
        {
            int mid = lo + ((hi - lo) / 2);
            // Median of three into mid.
            if (Less(keys, idx, mid, lo)) { Swap(keys, idx, mid, lo); }
            if (Less(keys, idx, hi, lo)) { Swap(keys, idx, hi, lo); }
            if (Less(keys, idx, hi, mid)) { Swap(keys, idx, hi, mid); }
            double pk = keys[mid];
            int pi = idx[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (keys[i] < pk || (keys[i] == pk && idx[i] < pi)) { i++; }
                while (keys[j] > pk || (keys[j] == pk && idx[j] > pi)) { j--; }
                if (i <= j)
                {
                    Swap(keys, idx, i, j);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return;
            }
        }
    }

    private static bool Less(Span<double> keys, Span<int> idx, int a, int b) =>
        keys[a] < keys[b] || (keys[a] == keys[b] && idx[a] < idx[b]);

    private static void Swap(Span<double> keys, Span<int> idx, int a, int b)
    {
        (keys[a], keys[b]) = (keys[b], keys[a]);
        (idx[a], idx[b]) = (idx[b], idx[a]);
    }

    private double BoxDistance2(int node, ReadOnlySpan<double> query)
    {
        int d = _dimension;
        int at = node * 2 * d;
        double sum = 0;
        for (int j = 0; j < d; j++)
        {
            double q = query[j];
            double lo = _nodeBox[at + j];
            double hi = _nodeBox[at + d + j];
            double gap = q < lo ? lo - q : (q > hi ? q - hi : 0.0);
            sum += gap * gap;
        }

        return sum;
    }

    private void Search(int node, ReadOnlySpan<double> query, int k, Span<double> distance2, Span<int> index, ref int found, double boxDistance2)
    {
        if (found == k && boxDistance2 > distance2[k - 1])
        {
            return;
        }

        int left = _nodeLeft[node];
        if (left < 0)
        {
            int d = _dimension;
            for (int i = _nodeStart[node]; i < _nodeEnd[node]; i++)
            {
                double sum = 0;
                int at = i * d;
                for (int j = 0; j < d; j++)
                {
                    double diff = query[j] - _points[at + j];
                    sum += diff * diff;
                }

                int original = _index[i];
                if (found < k)
                {
                    Insert(distance2, index, found, sum, original);
                    found++;
                }
                else if (sum < distance2[k - 1] || (sum == distance2[k - 1] && original < index[k - 1]))
                {
                    Insert(distance2, index, k - 1, sum, original);
                }
            }

            return;
        }

        int right = _nodeRight[node];
        double dl = BoxDistance2(left, query);
        double dr = BoxDistance2(right, query);
        if (dl <= dr)
        {
            Search(left, query, k, distance2, index, ref found, dl);
            Search(right, query, k, distance2, index, ref found, dr);
        }
        else
        {
            Search(right, query, k, distance2, index, ref found, dr);
            Search(left, query, k, distance2, index, ref found, dl);
        }
    }

    /// <summary>Inserts (value, original) into the sorted prefix [0, length) (dropping the element at position length).</summary>
    private static void Insert(Span<double> distance2, Span<int> index, int length, double value, int original)
    {
        int pos = length;
        while (pos > 0 && (distance2[pos - 1] > value || (distance2[pos - 1] == value && index[pos - 1] > original)))
        {
            distance2[pos] = distance2[pos - 1];
            index[pos] = index[pos - 1];
            pos--;
        }

        distance2[pos] = value;
        index[pos] = original;
    }
}
