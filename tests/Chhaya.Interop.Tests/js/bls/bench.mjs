// SPDX-License-Identifier: AGPL-3.0-or-later
// Times the operations of bench/Chhaya.Benchmarks/Bls/BlsBenchmarks.cs with native blst
// (@chainsafe/blst) and @noble/curves, on the same inputs. Prints milliseconds per operation.
// Usage: node bench.mjs (columns: mean wall time, fastest of five batches, CPU time; ms per operation)
import blst from '@chainsafe/blst';
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';

const SIG_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const sigs = bls.longSignatures;
const msg = new Uint8Array(32);
const fill = (b) => new Uint8Array(32).fill(b);

// Runs f in `batches` batches of at least minMs each and prints the mean wall time per operation, the
// fastest batch (the figure least inflated when the machine is shared) and the process CPU time per
// operation (which does not count time spent waiting for a core).
function time(name, f, minMs = 1500, batches = 5) {
  f();
  let total = 0;
  let runs = 0;
  let best = Infinity;
  const cpu0 = process.cpuUsage();
  for (let b = 0; b < batches; b++) {
    let n = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < minMs / batches || n === 0) {
      f();
      n++;
      elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    }
    total += elapsed;
    runs += n;
    best = Math.min(best, elapsed / n);
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000 / runs;
  console.log(`${name.padEnd(32)} mean ${(total / runs).toFixed(3)}  min ${best.toFixed(3)}  cpu ${cpuMs.toFixed(3)} ms/op (${runs} runs)`);
}

// blst
const bsk = blst.SecretKey.fromKeygen(new Uint8Array(32));
const bpk = bsk.toPublicKey();
const bsig = bsk.sign(msg);
const bkeys = Array.from({ length: 100 }, (_, i) => blst.SecretKey.fromKeygen(fill(i)));
const bpks = bkeys.map((k) => k.toPublicKey());
const bagg100 = blst.aggregateSignatures(bkeys.map((k) => k.sign(msg)));
const msgs10 = Array.from({ length: 10 }, (_, i) => fill(i));
const bagg10 = blst.aggregateSignatures(bkeys.slice(0, 10).map((k, i) => k.sign(msgs10[i])));
time('blst Sign', () => bsk.sign(msg));
time('blst Verify', () => blst.verify(msg, bpk, bsig));
time('blst FastAggregateVerify100', () => blst.fastAggregateVerify(msg, bpks, bagg100));
time('blst AggregateVerify10', () => blst.aggregateVerify(msgs10, bpks.slice(0, 10), bagg10));

// noble
const nsk = bsk.toBytes();
const npk = sigs.getPublicKey(nsk);
const nsig = sigs.sign(sigs.hash(msg, SIG_DST), nsk);
const npks = bkeys.map((k) => sigs.getPublicKey(k.toBytes()));
const nagg100 = bls.G2.Point.fromBytes(bagg100.toBytes(true));
const nagg10 = bls.G2.Point.fromBytes(bagg10.toBytes(true));
time('noble Sign', () => sigs.sign(sigs.hash(msg, SIG_DST), nsk), 3000);
time('noble Verify', () => sigs.verify(nsig, sigs.hash(msg, SIG_DST), npk), 3000);
time('noble FastAggregateVerify100', () => sigs.verify(nagg100, sigs.hash(msg, SIG_DST), sigs.aggregatePublicKeys(npks)), 3000);
time('noble AggregateVerify10', () => sigs.verifyBatch(nagg10, npks.slice(0, 10).map((p, i) => ({ publicKey: p, message: sigs.hash(msgs10[i], SIG_DST) }))), 3000);
time('noble hash_to_G2', () => bls.G2.hashToCurve(msg, { DST: SIG_DST }), 3000);
time('noble pairing', () => bls.pairing(bls.G1.Point.BASE, bls.G2.Point.BASE), 3000);
