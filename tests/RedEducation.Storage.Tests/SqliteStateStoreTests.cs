using RedEducation.Testing;

namespace RedEducation.Storage.Tests;

/// <summary>The store contract on the embedded SQLite file, a fresh file per test.</summary>
public sealed class SqliteStateStoreTests : StateStoreContract, IDisposable
{
    private readonly TempDirectory _data = new();

    protected override IStateStore OpenStore()
    {
        var store = new SqliteStateStore(Path.Combine(_data.Path, "grains.db"));
        store.Initialize();
        return store;
    }

    public void Dispose() => _data.Dispose();
}
