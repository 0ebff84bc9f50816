using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using NSec.Cryptography;
using RedEducation.Domain.Tickets;
using RedEducation.Server.Hosting;

namespace RedEducation.Server.Tickets;

/// <summary>
/// The Ed25519 ticket keys, one file each in the key directory (mode 600, see <see cref="SigningKeys"/>): the newest
/// signs, all present verify, so codes signed before a rotation stay valid until their key is retired. Retiring moves
/// the file to retired/, which invalidates every code it signed. Only public keys ever leave the server.
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
        _directory = options.Value.KeyPath;
        Shared = options.Value.Role == ServerRole.FrontEnd || options.Value.Clustering == ClusteringKind.Redis;
        SigningKeys.Prepare(_directory);
        foreach (var file in Directory.GetFiles(_directory, SigningKeys.TicketKeyPattern))
        {
            if (SigningKeys.TryParseTicketKeyFile(file, out var id))
            {
                _snapshot = _snapshot with { Keys = _snapshot.Keys.Add(id, Key.Import(TicketCode.Algorithm, File.ReadAllBytes(file), KeyBlobFormat.RawPrivateKey, SigningKeys.Exportable)) };
            }
        }
    }

    /// <summary>
    /// Whether other processes sign and verify with the same key directory (a front end, or any process of a Redis
    /// cluster). They would not see a key rotated or retired here, so then only the operator changes keys.
    /// </summary>
    public bool Shared { get; }

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
            var key = Key.Create(TicketCode.Algorithm, SigningKeys.Exportable);
            SigningKeys.WritePrivate(Path.Combine(_directory, SigningKeys.TicketKeyFile(id)), key.Export(KeyBlobFormat.RawPrivateKey));
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
            var retired = Path.Combine(_directory, SigningKeys.RetiredDirectory);
            Directory.CreateDirectory(retired);
            File.Move(Path.Combine(_directory, SigningKeys.TicketKeyFile(id)), Path.Combine(retired, SigningKeys.TicketKeyFile(id)), overwrite: true);
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
