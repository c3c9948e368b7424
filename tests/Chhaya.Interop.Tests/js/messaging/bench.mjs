// SPDX-License-Identifier: AGPL-3.0-or-later
// Times, with Signal's native libsignal (@signalapp/libsignal-client), the operations that
// bench/Chhaya.Benchmarks/Messaging/MessagingBenchmarks.cs times for Chhaya:
//   SessionSetup       Alice processes a PQXDH bundle (with one-time EC prekey and Kyber-1024 prekey),
//                      encrypts a 100-byte first message; Bob decrypts it (PreKeySignalMessage).
//   EncryptDecrypt100  one 100-byte message encrypted and decrypted in the same chain.
//   EncryptDecrypt4K   the same with 4096 bytes.
//   PingPong100        a 100-byte message each way (a DH ratchet step per message).
// Prints one JSON object: mean microseconds per operation. Usage: node bench.mjs [iterations]
import * as S from '@signalapp/libsignal-client';

class Sessions extends S.SessionStore {
  map = new Map();
  async saveSession(a, r) { this.map.set(a.toString(), r); }
  async getSession(a) { return this.map.get(a.toString()) ?? null; }
  async getExistingSessions(as) { return as.map((a) => this.map.get(a.toString())); }
}

class Identities extends S.IdentityKeyStore {
  constructor(pair, id) { super(); this.pair = pair; this.id = id; this.known = new Map(); }
  async getIdentityKey() { return this.pair.privateKey; }
  async getLocalRegistrationId() { return this.id; }
  async saveIdentity(a, k) { this.known.set(a.toString(), k); return S.IdentityChange.NewOrUnchanged; }
  async isTrustedIdentity() { return true; }
  async getIdentity(a) { return this.known.get(a.toString()) ?? null; }
}

// Prekeys are looked up but never removed, so every iteration does the same work (Chhaya's benchmark
// likewise names a one-time prekey it never consumes).
class PreKeys extends S.PreKeyStore {
  map = new Map();
  async savePreKey(id, r) { this.map.set(id, r); }
  async getPreKey(id) { return this.map.get(id); }
  async removePreKey() {}
}
class SignedPreKeys extends S.SignedPreKeyStore {
  map = new Map();
  async saveSignedPreKey(id, r) { this.map.set(id, r); }
  async getSignedPreKey(id) { return this.map.get(id); }
}
class KyberPreKeys extends S.KyberPreKeyStore {
  map = new Map();
  async saveKyberPreKey(id, r) { this.map.set(id, r); }
  async getKyberPreKey(id) { return this.map.get(id); }
  async markKyberPreKeyUsed() {}
}

const aliceAddr = S.ProtocolAddress.new('alice', 1);
const bobAddr = S.ProtocolAddress.new('bob', 1);
const alicePair = S.IdentityKeyPair.generate();
const bobPair = S.IdentityKeyPair.generate();
const bobPre = new PreKeys();
const bobSigned = new SignedPreKeys();
const bobKyber = new KyberPreKeys();

const pre = S.PrivateKey.generate();
await bobPre.savePreKey(1, S.PreKeyRecord.new(1, pre.getPublicKey(), pre));
const spk = S.PrivateKey.generate();
const spkSig = bobPair.privateKey.sign(spk.getPublicKey().serialize());
await bobSigned.saveSignedPreKey(2, S.SignedPreKeyRecord.new(2, Date.now(), spk.getPublicKey(), spk, spkSig));
const kyber = S.KEMKeyPair.generate();
const kyberSig = bobPair.privateKey.sign(kyber.getPublicKey().serialize());
await bobKyber.saveKyberPreKey(3, S.KyberPreKeyRecord.new(3, Date.now(), kyber, kyberSig));
const bundle = S.PreKeyBundle.new(2, 1, 1, pre.getPublicKey(), 2, spk.getPublicKey(), spkSig, bobPair.publicKey, 3, kyber.getPublicKey(), kyberSig);

const small = new Uint8Array(100).fill(7);
const large = new Uint8Array(4096).fill(9);

async function newSession() {
  const a = { sessions: new Sessions(), ids: new Identities(alicePair, 1) };
  const b = { sessions: new Sessions(), ids: new Identities(bobPair, 2) };
  await S.processPreKeyBundle(bundle, bobAddr, aliceAddr, a.sessions, a.ids);
  const first = await S.signalEncrypt(small, bobAddr, aliceAddr, a.sessions, a.ids);
  const msg = S.PreKeySignalMessage.deserialize(first.serialize());
  await S.signalDecryptPreKey(msg, aliceAddr, bobAddr, b.sessions, b.ids, bobPre, bobSigned, bobKyber);
  // Bob answers once so Alice's later messages are plain SignalMessages, as in Chhaya's benchmark session.
  return { a, b };
}

async function oneWay(s, payload) {
  const c = await S.signalEncrypt(payload, bobAddr, aliceAddr, s.a.sessions, s.a.ids);
  const m = c.type() === S.CiphertextMessageType.PreKey
    ? null : S.SignalMessage.deserialize(c.serialize());
  if (m === null) {
    const p = S.PreKeySignalMessage.deserialize(c.serialize());
    return S.signalDecryptPreKey(p, aliceAddr, bobAddr, s.b.sessions, s.b.ids, bobPre, bobSigned, bobKyber);
  }
  return S.signalDecrypt(m, aliceAddr, bobAddr, s.b.sessions, s.b.ids);
}

async function back(s, payload) {
  const c = await S.signalEncrypt(payload, aliceAddr, bobAddr, s.b.sessions, s.b.ids);
  return S.signalDecrypt(S.SignalMessage.deserialize(c.serialize()), bobAddr, aliceAddr, s.a.sessions, s.a.ids);
}

async function time(name, iterations, fn) {
  for (let i = 0; i < Math.max(20, iterations / 10); i++) await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn();
  const ns = Number(process.hrtime.bigint() - start);
  return [name, ns / iterations / 1000];
}

const n = Number(process.argv[2] ?? 2000);
const chain = await newSession();
await back(chain, small); // Alice hears back: her messages are now SignalMessages
const ping = await newSession();
await back(ping, small);
const results = Object.fromEntries([
  await time('SessionSetup', Math.max(50, n / 10), () => newSession()),
  await time('EncryptDecrypt100', n, () => oneWay(chain, small)),
  await time('EncryptDecrypt4K', n, () => oneWay(chain, large)),
  await time('PingPong100', n, async () => { await oneWay(ping, small); await back(ping, small); }),
]);
console.log(JSON.stringify({ library: '@signalapp/libsignal-client 0.103.0', node: process.version, unit: 'microseconds per operation', results }, null, 2));
