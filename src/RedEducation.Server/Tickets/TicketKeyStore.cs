using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Options;
using NSec.Cryptography;
using RedEducation.Domain.Tickets;
using RedEducation.Server.Hosting;

namespace RedEducation.Server.Tickets;

/// <summary>
/// The Ed25519 ticket keys, one file each under the data directory's keys/tickets (mode 600): the newest signs, all
/// present verify, so codes signed before a rotation stay valid until their key is retired. Retiring moves the file
/// to keys/tickets/retired, which invalidates every code it signed. Only public keys ever leave the server.
/// A code whose signature has been checked is remembered with its claims, so that scanning it again (a group let in
/// part by part, a second desk) skips Ed25519: only the exact text of a code that verified is found there, so every
/// other text, however close, is still verified in full. The remembered codes belong to the set of keys that verified
/// them and are dropped together with it when a key is retired.
/// </summary>
public sealed class TicketKeyStore : IDisposable
{
    private readonly string _directory;
    private readonly Lock _gate = new();
    private Snapshot _snapshot = new(ImmutableSortedDictionary<ushort, Key>.Empty, new VerifiedCodes());

    public TicketKeyStore(IOptions<RedEducationOptions> options)
    {
        _directory = options.Value.DataPath("keys", "tickets");
        Directory.CreateDirectory(_directory);
        foreach (var file in Directory.GetFiles(_directory, "*.ed25519"))
        {
            if (ushort.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                _snapshot = _snapshot with { Keys = _snapshot.Keys.Add(id, Key.Import(TicketCode.Algorithm, File.ReadAllBytes(file), KeyBlobFormat.RawPrivateKey, Exportable)) };
            }
        }
        if (_snapshot.Keys.IsEmpty)
        {
            Rotate();
        }
    }

    private static KeyCreationParameters Exportable => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextArchiving };

    public ushort ActiveKeyId => _snapshot.Keys.Keys.Last();

    public string Issue(TicketClaims claims)
    {
        var keys = _snapshot.Keys;
        var id = keys.Keys.Last();
        return TicketCode.Issue(claims, id, keys[id]);
    }

    public (TicketCodeStatus Status, TicketClaims? Claims, ushort KeyId) Verify(string? code)
    {
        // One snapshot for the whole call: a code verified with a key being retired right now is remembered only in
        // the set of codes that leaves with that key.
        var snapshot = _snapshot;
        if (code is not null && snapshot.Verified.TryGet(code, out var known))
        {
            return (TicketCodeStatus.Valid, known.Claims, known.KeyId);
        }
        var result = TicketCode.Verify(code, id => snapshot.Keys.TryGetValue(id, out var key) ? key.PublicKey : null);
        if (result.Status == TicketCodeStatus.Valid)
        {
            snapshot.Verified.Add(code!, result.Claims!, result.KeyId);
        }
        return result;
    }

    /// <summary>The verification keys: id and raw 32-byte public key, for offline scanners.</summary>
    public IReadOnlyList<(ushort Id, byte[] PublicKey)> PublicKeys() =>
        [.. _snapshot.Keys.Select(k => (k.Key, k.Value.PublicKey.Export(KeyBlobFormat.RawPublicKey)))];

    /// <summary>Makes a new signing key; older keys keep verifying.</summary>
    public ushort Rotate()
    {
        lock (_gate)
        {
            var keys = _snapshot.Keys;
            var id = keys.IsEmpty ? (ushort)1 : checked((ushort)(keys.Keys.Last() + 1));
            var key = Key.Create(TicketCode.Algorithm, Exportable);
            var path = Path.Combine(_directory, $"{id:D5}.ed25519");
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var file = new FileStream(path, fileOptions))
            {
                file.Write(key.Export(KeyBlobFormat.RawPrivateKey));
                file.Flush(flushToDisk: true);
            }
            // A new key invalidates nothing: the codes verified so far stay remembered.
            _snapshot = _snapshot with { Keys = keys.Add(id, key) };
            return id;
        }
    }

    /// <summary>Stops a key from verifying. The signing key cannot be retired; rotate first.</summary>
    public bool Retire(ushort id)
    {
        lock (_gate)
        {
            if (!_snapshot.Keys.ContainsKey(id) || id == ActiveKeyId)
            {
                return false;
            }
            var retired = Path.Combine(_directory, "retired");
            Directory.CreateDirectory(retired);
            File.Move(Path.Combine(_directory, $"{id:D5}.ed25519"), Path.Combine(retired, $"{id:D5}.ed25519"), overwrite: true);
            // Not disposed: a verification that took the previous snapshot may still be using it.
            _snapshot = new Snapshot(_snapshot.Keys.Remove(id), new VerifiedCodes());
            return true;
        }
    }

    public void Dispose()
    {
        foreach (var key in _snapshot.Keys.Values)
        {
            key.Dispose();
        }
    }

    /// <summary>The keys that verify and the codes verified with them, replaced together.</summary>
    private sealed record Snapshot(ImmutableSortedDictionary<ushort, Key> Keys, VerifiedCodes Verified);

    /// <summary>Codes whose signature has been checked, with their claims. Bounded: when full it starts again empty.</summary>
    private sealed class VerifiedCodes
    {
        /// <summary>About 0.5 KB each (the code's text and its claims): a few MB at most, more than a busy venue-day's groups.</summary>
        private const int Capacity = 16_384;

        private readonly ConcurrentDictionary<string, (TicketClaims Claims, ushort KeyId)> _codes = new(StringComparer.Ordinal);
        private int _added;

        public bool TryGet(string code, out (TicketClaims Claims, ushort KeyId) known) => _codes.TryGetValue(code, out known);

        public void Add(string code, TicketClaims claims, ushort keyId)
        {
            if (Interlocked.Increment(ref _added) > Capacity)
            {
                _codes.Clear();
                Interlocked.Exchange(ref _added, 1);
            }
            _codes.TryAdd(code, (claims, keyId));
        }
    }
}
