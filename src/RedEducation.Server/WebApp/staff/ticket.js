// The ticket code as RedEducation.Domain.Tickets.TicketCode writes it, read and judged in the browser so that a desk
// without network can still admit: 154 characters of upper-case base32 (RFC 4648, no padding) holding a 32-byte payload
// and its 64-byte Ed25519 signature. Payload, big-endian: version (1) · key id (2) · booking id (13: 20 base32 values)
// · serial (2) · venue tag (4) · days since 2000-01-01 (2) · slot minute of day (2) · headcount (2) · window opens,
// closes in minutes from the slot start (2 + 2, signed).
import { verifyAsync } from '/vendor/noble-ed25519/index.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const VERSION = 1;
const PAYLOAD = 32;
const SIGNED = PAYLOAD + 64;
export const CODE_LENGTH = Math.floor((SIGNED * 8 + 4) / 5);
const EPOCH = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;
// Every venue is in Asia/Shanghai, which has had no daylight saving since 1991.
const CHINA_OFFSET = '+08:00';

/** The code as people type or paste it: spaces and line breaks dropped, upper case. */
export function normalizeCode(text) {
  return String(text ?? '').replace(/\s+/g, '').toUpperCase();
}

/** Regroups fromBits-bit values into toBits-bit values, most significant bit first (Base32.Repack). */
function repack(values, fromBits, toBits, padTail) {
  const out = [];
  let buffer = 0;
  let held = 0;
  const mask = (1 << toBits) - 1;
  for (const value of values) {
    buffer = (buffer << fromBits) | value;
    held += fromBits;
    while (held >= toBits) {
      held -= toBits;
      out.push((buffer >> held) & mask);
    }
    buffer &= (1 << held) - 1;
  }
  if (held > 0 && padTail) out.push((buffer << (toBits - held)) & mask);
  return out;
}

/** Canonical base32 to bytes, or null (a character outside the alphabet, or non-zero leftover bits). */
function decodeBase32(text) {
  const values = [];
  for (const ch of text) {
    const index = ALPHABET.indexOf(ch);
    if (index < 0) return null;
    values.push(index);
  }
  const rest = (text.length * 5) % 8;
  if (rest >= 5 || (rest !== 0 && (values[values.length - 1] & ((1 << rest) - 1)) !== 0)) return null;
  return Uint8Array.from(repack(values, 5, 8, false));
}

const u16 = (b, i) => (b[i] << 8) | b[i + 1];
const i16 = (b, i) => (u16(b, i) << 16) >> 16;
const u32 = (b, i) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
const pad2 = n => String(n).padStart(2, '0');

/**
 * Reads a code without checking its signature: { bytes, keyId, claims } or null when it is not a ticket code at all.
 * claims: { bookingId, serial, venueTag, date (yyyy-MM-dd), slot (HH:mm), headcount, opensMinutes, closesMinutes }.
 */
export function parseCode(code) {
  if (code.length !== CODE_LENGTH) return null;
  const bytes = decodeBase32(code);
  if (!bytes || bytes.length !== SIGNED || bytes[0] !== VERSION) return null;
  const id = repack(bytes.subarray(3, 16), 8, 5, false).slice(0, 20);
  const minute = u16(bytes, 24);
  if (minute >= 24 * 60) return null;
  return {
    bytes,
    keyId: u16(bytes, 1),
    claims: {
      bookingId: 'bk' + id.map(v => ALPHABET[v].toLowerCase()).join(''),
      serial: u16(bytes, 16),
      venueTag: u32(bytes, 18),
      date: new Date(EPOCH + u16(bytes, 22) * DAY_MS).toISOString().slice(0, 10),
      slot: `${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}`,
      headcount: u16(bytes, 26),
      opensMinutes: i16(bytes, 28),
      closesMinutes: i16(bytes, 30),
    },
  };
}

function base64Bytes(text) {
  return Uint8Array.from(atob(text), ch => ch.charCodeAt(0));
}

/**
 * Checks a code's form, key and Ed25519 signature against the manifest's public keys.
 * Returns { ok: true, claims, keyId } or { ok: false, reason: 'invalid-code', keyId?, unknownKey? }.
 */
export async function verifyCode(code, manifest) {
  const parsed = parseCode(code);
  if (!parsed) return { ok: false, reason: 'invalid-code' };
  const key = (manifest?.keys ?? []).find(k => k.keyId === parsed.keyId);
  if (!key) return { ok: false, reason: 'invalid-code', keyId: parsed.keyId, unknownKey: true };
  let valid = false;
  try {
    // zip215: false is RFC 8032's strict rule, as libsodium (NSec) applies it on the server.
    valid = await verifyAsync(parsed.bytes.subarray(PAYLOAD), parsed.bytes.subarray(0, PAYLOAD), base64Bytes(key.publicKey), { zip215: false });
  } catch {
    valid = false;
  }
  return valid ? { ok: true, claims: parsed.claims, keyId: parsed.keyId } : { ok: false, reason: 'invalid-code', keyId: parsed.keyId };
}

/** The instants (ms) between which a ticket admits: its window around the slot start in China time. */
export function windowOf(claims) {
  const start = Date.parse(`${claims.date}T${claims.slot}:00${CHINA_OFFSET}`);
  return { opens: start + claims.opensMinutes * 60_000, closes: start + claims.closesMinutes * 60_000 };
}

/**
 * What the server would answer to a scan at `at`, judged from the day's manifest as a desk without network must:
 * the venue, the day (in China), the window, a cancelled booking, a replaced ticket, and the people still to come
 * (`arrived`: the manifest's count plus this desk's queued admissions). Returns null when the ticket admits, else the
 * problem name: wrong-venue, wrong-date, outside-window, cancelled, revoked, not-expected.
 */
export function judgeOffline(claims, manifest, at, today) {
  if (claims.venueTag !== manifest.venueTag) return 'wrong-venue';
  if (claims.date !== today || claims.date !== manifest.date) return 'wrong-date';
  const { opens, closes } = windowOf(claims);
  if (at < opens || at >= closes) return 'outside-window';
  if ((manifest.cancelled ?? []).includes(claims.bookingId)) return 'cancelled';
  const group = (manifest.expected ?? []).find(e => e.bookingId === claims.bookingId);
  if (!group) return 'not-expected';
  if (group.ticketSerial !== claims.serial) return 'revoked';
  return null;
}
