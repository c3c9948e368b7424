// SPDX-License-Identifier: AGPL-3.0-or-later
// ML-KEM-1024 with @noble/post-quantum, the operations bench/Chhaya.Benchmarks/Crypto/MlKemBenchmarks.cs times.
// Usage: node bench-mlkem.mjs [--ms 1500]   Prints one JSON line per operation: { op, impl, nsPerOp }.
import crypto from 'node:crypto';
import { ml_kem1024 } from '@noble/post-quantum/ml-kem.js';

const budgetMs = Number(process.argv[process.argv.indexOf('--ms') + 1]) || 1500;

function bench(op, fn) {
  // Warm up, then batches of at least 20 ms until the budget is spent; report the best and the mean batch.
  for (let i = 0; i < 20; i++) fn();
  let batch = 1;
  for (;;) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    if (Number(process.hrtime.bigint() - t) > 20e6) break;
    batch *= 2;
  }
  let best = Infinity;
  let total = 0;
  let count = 0;
  const end = Date.now() + budgetMs;
  while (Date.now() < end) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    const perOp = Number(process.hrtime.bigint() - t) / batch;
    best = Math.min(best, perOp);
    total += perOp;
    count++;
  }
  console.log(JSON.stringify({ op, impl: '@noble/post-quantum', nsPerOp: Math.round(best), meanNsPerOp: Math.round(total / count) }));
}

const seed = crypto.randomBytes(64);
const kp = ml_kem1024.keygen(seed);
const enc = ml_kem1024.encapsulate(kp.publicKey);
const tampered = enc.cipherText.slice();
tampered[100] ^= 1;
bench('KeyGen', () => ml_kem1024.keygen(seed));
bench('Encapsulate', () => ml_kem1024.encapsulate(kp.publicKey));
bench('Decapsulate', () => ml_kem1024.decapsulate(enc.cipherText, kp.secretKey.slice()));
bench('DecapsulateTampered', () => ml_kem1024.decapsulate(tampered, kp.secretKey.slice()));
