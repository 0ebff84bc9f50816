namespace RedEducation.Geo;

/// <summary>A binary min-heap of (key, node) that allows stale duplicates; callers skip entries that no longer match.</summary>
internal sealed class MinHeap
{
    private long[] items = new long[256]; // key in the high 32 bits, node in the low 32: one compare per step

    public int Count { get; private set; }

    public void Clear() => Count = 0;

    public long PeekKey => items[0] >> 32;

    public void Push(int key, int node)
    {
        if (Count == items.Length)
        {
            Array.Resize(ref items, items.Length * 2);
        }

        var item = ((long)key << 32) | (uint)node;
        var i = Count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (items[parent] <= item)
            {
                break;
            }

            items[i] = items[parent];
            i = parent;
        }

        items[i] = item;
    }

    public int Pop(out int key)
    {
        var top = items[0];
        var last = items[--Count];
        var i = 0;
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && items[child + 1] < items[child])
            {
                child++;
            }

            if (last <= items[child])
            {
                break;
            }

            items[i] = items[child];
            i = child;
        }

        if (Count > 0)
        {
            items[i] = last;
        }

        key = (int)(top >> 32);
        return (int)top;
    }
}

/// <summary>A min-heap over node ids with float priorities and update-in-place (for the contraction order).</summary>
internal sealed class IndexedHeap
{
    private readonly int[] heap;
    private readonly int[] position;
    private readonly float[] key;

    public IndexedHeap(int capacity)
    {
        heap = new int[capacity];
        position = new int[capacity];
        key = new float[capacity];
        Array.Fill(position, -1);
    }

    public int Count { get; private set; }

    public float PeekKey => key[heap[0]];

    public bool Contains(int node) => position[node] >= 0;

    public void Set(int node, float priority)
    {
        if (position[node] < 0)
        {
            key[node] = priority;
            heap[Count] = node;
            position[node] = Count;
            Up(Count++);
            return;
        }

        var old = key[node];
        key[node] = priority;
        if (priority < old)
        {
            Up(position[node]);
        }
        else
        {
            Down(position[node]);
        }
    }

    public int Pop()
    {
        var top = heap[0];
        position[top] = -1;
        if (--Count > 0)
        {
            heap[0] = heap[Count];
            position[heap[0]] = 0;
            Down(0);
        }

        return top;
    }

    private void Up(int i)
    {
        var node = heap[i];
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (key[heap[parent]] <= key[node])
            {
                break;
            }

            heap[i] = heap[parent];
            position[heap[i]] = i;
            i = parent;
        }

        heap[i] = node;
        position[node] = i;
    }

    private void Down(int i)
    {
        var node = heap[i];
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && key[heap[child + 1]] < key[heap[child]])
            {
                child++;
            }

            if (key[node] <= key[heap[child]])
            {
                break;
            }

            heap[i] = heap[child];
            position[heap[i]] = i;
            i = child;
        }

        heap[i] = node;
        position[node] = i;
    }
}
