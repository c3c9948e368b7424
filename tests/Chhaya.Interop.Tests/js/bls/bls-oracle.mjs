// SPDX-License-Identifier: AGPL-3.0-or-later
// Cross-checks Chhaya.Bls against two outside BLS12-381 implementations: @noble/curves (pure
// JavaScript) and @chainsafe/blst (native blst). Reads one JSON request on stdin, writes one JSON
// answer on stdout. Byte strings are lowercase hex.
//
//   {"op": "check", ...}  verify keys/signatures made by Chhaya, and re-derive them where possible
//   {"op": "make",  ...}  make keys/signatures with noble and blst for Chhaya to verify
import blst from '@chainsafe/blst';
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';

// noble's default DST is the basic scheme's (…_NUL_); the proof-of-possession scheme signs under …_POP_.
const SIG_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const POP_DST = 'BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const sigs = bls.longSignatures;
const hex = (b) => Buffer.from(b).toString('hex');
const bytes = (h) => new Uint8Array(Buffer.from(h, 'hex'));
const G1 = bls.G1.Point;
const G2 = bls.G2.Point;

function nobleVerify(pk, msg, sig) {
  try {
    return sigs.verify(G2.fromBytes(bytes(sig)), sigs.hash(bytes(msg), SIG_DST), G1.fromBytes(bytes(pk)));
  } catch {
    return false;
  }
}

function blstVerify(pk, msg, sig) {
  try {
    return blst.verify(bytes(msg), blst.PublicKey.fromBytes(bytes(pk), true), blst.Signature.fromBytes(bytes(sig), true));
  } catch {
    return false;
  }
}

function noblePopVerify(pk, pop) {
  try {
    return sigs.verify(G2.fromBytes(bytes(pop)), sigs.hash(bytes(pk), POP_DST), G1.fromBytes(bytes(pk)));
  } catch {
    return false;
  }
}

function nobleFast(pks, msg, sig) {
  try {
    const agg = bls.longSignatures.aggregatePublicKeys(pks.map((p) => G1.fromBytes(bytes(p))));
    return sigs.verify(G2.fromBytes(bytes(sig)), sigs.hash(bytes(msg), SIG_DST), agg);
  } catch {
    return false;
  }
}

function blstFast(pks, msg, sig) {
  try {
    return blst.fastAggregateVerify(bytes(msg), pks.map((p) => blst.PublicKey.fromBytes(bytes(p), true)), blst.Signature.fromBytes(bytes(sig), true));
  } catch {
    return false;
  }
}

function nobleAggregateVerify(pks, msgs, sig) {
  try {
    const items = pks.map((p, i) => ({ publicKey: G1.fromBytes(bytes(p)), message: sigs.hash(bytes(msgs[i]), SIG_DST) }));
    return sigs.verifyBatch(G2.fromBytes(bytes(sig)), items);
  } catch {
    return false;
  }
}

function blstAggregateVerify(pks, msgs, sig) {
  try {
    return blst.aggregateVerify(msgs.map(bytes), pks.map((p) => blst.PublicKey.fromBytes(bytes(p), true)), blst.Signature.fromBytes(bytes(sig), true));
  } catch {
    return false;
  }
}

function check(req) {
  const out = { keygen: [], single: [], pop: [], fast: [], aggregateVerify: [], aggregate: [] };
  for (const k of req.keygen) {
    const sk = blst.SecretKey.fromKeygen(bytes(k.ikm));
    out.keygen.push({ sk: hex(sk.toBytes()), pk: hex(sk.toPublicKey().toBytes(true)), noblePk: hex(sigs.getPublicKey(sk.toBytes()).toBytes(true)) });
  }
  for (const s of req.single) {
    out.single.push({
      noble: nobleVerify(s.pk, s.msg, s.sig),
      blst: blstVerify(s.pk, s.msg, s.sig),
      nobleSig: s.sk ? hex(sigs.sign(sigs.hash(bytes(s.msg), SIG_DST), bytes(s.sk)).toBytes(true)) : null,
      blstSig: s.sk ? hex(blst.SecretKey.fromBytes(bytes(s.sk)).sign(bytes(s.msg)).toBytes(true)) : null,
    });
  }
  for (const p of req.pop) {
    out.pop.push({ noble: noblePopVerify(p.pk, p.pop) });
  }
  for (const f of req.fast) {
    out.fast.push({ noble: nobleFast(f.pks, f.msg, f.sig), blst: blstFast(f.pks, f.msg, f.sig) });
  }
  for (const a of req.aggregateVerify) {
    out.aggregateVerify.push({ noble: nobleAggregateVerify(a.pks, a.msgs, a.sig), blst: blstAggregateVerify(a.pks, a.msgs, a.sig) });
  }
  for (const a of req.aggregate) {
    out.aggregate.push({
      noble: hex(sigs.aggregateSignatures(a.sigs.map((s) => G2.fromBytes(bytes(s)))).toBytes(true)),
      blst: hex(blst.aggregateSignatures(a.sigs.map((s) => blst.Signature.fromBytes(bytes(s), true))).toBytes(true)),
    });
  }
  return out;
}

function make(req) {
  const out = { noble: [], blst: [] };
  for (let i = 0; i < req.count; i++) {
    const msg = bytes(req.messages[i]);
    // noble: random key, signature, proof of possession.
    const nsk = bls.utils.randomSecretKey();
    const npk = sigs.getPublicKey(nsk).toBytes(true);
    out.noble.push({
      pk: hex(npk),
      sig: hex(sigs.sign(sigs.hash(msg, SIG_DST), nsk).toBytes(true)),
      pop: hex(sigs.sign(sigs.hash(npk, POP_DST), nsk).toBytes(true)),
    });
    // blst: random IKM through KeyGen.
    const ikm = new Uint8Array(32);
    crypto.getRandomValues(ikm);
    const bsk = blst.SecretKey.fromKeygen(ikm);
    out.blst.push({ pk: hex(bsk.toPublicKey().toBytes(true)), sig: hex(bsk.sign(msg).toBytes(true)) });
  }
  // One message co-signed by all blst keys, aggregated by blst.
  const common = bytes(req.common);
  const keys = out.blst.map(() => {
    const ikm = new Uint8Array(32);
    crypto.getRandomValues(ikm);
    return blst.SecretKey.fromKeygen(ikm);
  });
  out.commonPks = keys.map((k) => hex(k.toPublicKey().toBytes(true)));
  out.commonAggregate = hex(blst.aggregateSignatures(keys.map((k) => k.sign(common))).toBytes(true));
  // Distinct messages signed by the noble keys, aggregated by noble.
  out.nobleAggregate = hex(sigs.aggregateSignatures(out.noble.map((n) => G2.fromBytes(bytes(n.sig)))).toBytes(true));
  return out;
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const req = JSON.parse(Buffer.concat(chunks).toString('utf8'));
process.stdout.write(JSON.stringify(req.op === 'check' ? check(req) : make(req)));
