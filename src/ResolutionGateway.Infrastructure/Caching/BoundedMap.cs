using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace ResolutionGateway.Infrastructure.Caching;

/// <summary>
/// A concurrent dictionary that never holds more than <c>capacity</c> entries. An add that finds it
/// full first drops the expired entries, and if that frees too little, drops arbitrary live ones
/// down to three quarters of the capacity, so the sweep (one pass over the entries) is paid once
/// per many adds. Simpler than MemoryCache's size accounting, and it keeps the compare-and-swap
/// (<see cref="TryUpdate"/>, exact-value <see cref="TryRemove"/>) the caches' ordering rules need.
/// Values are compared by reference: use classes without value equality.
/// </summary>
internal sealed class BoundedMap<TKey, TValue>(int capacity, Func<TValue, bool> expired, Action? beforeDroppingLive = null)
    where TKey : notnull
    where TValue : class
{
    private readonly ConcurrentDictionary<TKey, TValue> _entries = new();
    private readonly Lock _trimming = new();
    // Entries held plus adds in progress: reserving a place before adding is what keeps the map
    // within capacity when several threads add at once.
    private int _count;

    /// <summary>Entries held (adds in progress included).</summary>
    public int Count => Volatile.Read(ref _count);

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value) => _entries.TryGetValue(key, out value);

    /// <summary>Adds when the key is absent and there is room; <paramref name="full"/> tells the two failures apart.</summary>
    public bool TryAdd(TKey key, TValue value, out bool full)
    {
        full = false;
        if (!Reserve())
        {
            MakeRoom();
            if (!Reserve())
            {
                full = true;
                return false;
            }
        }
        if (_entries.TryAdd(key, value))
        {
            return true;
        }
        Interlocked.Decrement(ref _count);
        return false;
    }

    /// <summary>Replaces the value if it is still <paramref name="expected"/>.</summary>
    public bool TryUpdate(TKey key, TValue value, TValue expected) =>
        _entries.TryUpdate(key, value, expected);

    /// <summary>Removes the entry if its value is still <paramref name="expected"/>.</summary>
    public bool TryRemove(TKey key, TValue expected)
    {
        if (!_entries.TryRemove(KeyValuePair.Create(key, expected)))
        {
            return false;
        }
        Interlocked.Decrement(ref _count);
        return true;
    }

    /// <summary>Removes the entry, whatever its value.</summary>
    public void Remove(TKey key)
    {
        if (_entries.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Removes everything (entry by entry, so the count stays exact under concurrent adds).</summary>
    public void Clear()
    {
        foreach (var key in _entries.Keys)
        {
            Remove(key);
        }
    }

    private bool Reserve()
    {
        if (Interlocked.Increment(ref _count) <= capacity)
        {
            return true;
        }
        Interlocked.Decrement(ref _count);
        return false;
    }

    // One thread trims; others that find the map full meanwhile do without caching this time.
    private void MakeRoom()
    {
        if (!_trimming.TryEnter())
        {
            return;
        }
        try
        {
            foreach (var (key, value) in _entries)
            {
                if (expired(value))
                {
                    TryRemove(key, value);
                }
            }
            var target = capacity - Math.Max(1, capacity / 4);
            if (Count <= target)
            {
                return;
            }
            beforeDroppingLive?.Invoke();
            foreach (var (key, value) in _entries)
            {
                if (Count <= target)
                {
                    break;
                }
                TryRemove(key, value);
            }
        }
        finally
        {
            _trimming.Exit();
        }
    }
}
