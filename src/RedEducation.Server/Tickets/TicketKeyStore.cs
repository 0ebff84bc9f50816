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
/// </summary>
public sealed class TicketKeyStore : IDisposable
{
    private readonly string _directory;
    private readonly Lock _gate = new();
    private ImmutableSortedDictionary<ushort, Key> _keys = ImmutableSortedDictionary<ushort, Key>.Empty;

    public TicketKeyStore(IOptions<RedEducationOptions> options)
    {
        _directory = options.Value.KeyPath;
        SigningKeys.Prepare(_directory);
        foreach (var file in Directory.GetFiles(_directory, SigningKeys.TicketKeyPattern))
        {
            if (SigningKeys.TryParseTicketKeyFile(file, out var id))
            {
                _keys = _keys.Add(id, Key.Import(TicketCode.Algorithm, File.ReadAllBytes(file), KeyBlobFormat.RawPrivateKey, SigningKeys.Exportable));
            }
        }
    }

    public ushort ActiveKeyId => _keys.Keys.Last();

    public string Issue(TicketClaims claims)
    {
        var keys = _keys;
        var id = keys.Keys.Last();
        return TicketCode.Issue(claims, id, keys[id]);
    }

    public (TicketCodeStatus Status, TicketClaims? Claims, ushort KeyId) Verify(string? code)
    {
        var keys = _keys;
        return TicketCode.Verify(code, id => keys.TryGetValue(id, out var key) ? key.PublicKey : null);
    }

    /// <summary>The verification keys: id and raw 32-byte public key, for offline scanners.</summary>
    public IReadOnlyList<(ushort Id, byte[] PublicKey)> PublicKeys() =>
        [.. _keys.Select(k => (k.Key, k.Value.PublicKey.Export(KeyBlobFormat.RawPublicKey)))];

    /// <summary>Makes a new signing key; older keys keep verifying.</summary>
    public ushort Rotate()
    {
        lock (_gate)
        {
            var id = _keys.IsEmpty ? (ushort)1 : checked((ushort)(_keys.Keys.Last() + 1));
            var key = Key.Create(TicketCode.Algorithm, SigningKeys.Exportable);
            SigningKeys.WritePrivate(Path.Combine(_directory, SigningKeys.TicketKeyFile(id)), key.Export(KeyBlobFormat.RawPrivateKey));
            _keys = _keys.Add(id, key);
            return id;
        }
    }

    /// <summary>Stops a key from verifying. The signing key cannot be retired; rotate first.</summary>
    public bool Retire(ushort id)
    {
        lock (_gate)
        {
            if (!_keys.ContainsKey(id) || id == ActiveKeyId)
            {
                return false;
            }
            var retired = Path.Combine(_directory, SigningKeys.RetiredDirectory);
            Directory.CreateDirectory(retired);
            File.Move(Path.Combine(_directory, SigningKeys.TicketKeyFile(id)), Path.Combine(retired, SigningKeys.TicketKeyFile(id)), overwrite: true);
            // Not disposed: a verification that took the previous snapshot may still be using it.
            _keys = _keys.Remove(id);
            return true;
        }
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }
}
