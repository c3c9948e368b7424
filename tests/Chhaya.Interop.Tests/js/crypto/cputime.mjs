// SPDX-License-Identifier: AGPL-3.0-or-later
// CPU time per operation (process.cpuUsage, user + system), the least load-sensitive figure on a shared
// machine: each operation runs `n` times per repetition and the best of `reps` repetitions is kept. The .NET
// counterpart (the same operations through Chhaya.Crypto's public API, timed with
// Process.TotalProcessorTime) is listed in docs/performance/crypto.md.
// Usage: node cputime.mjs [--reps 8] [--n 300]   Prints one line per operation: name, impl, µs of CPU.
import crypto from 'node:crypto';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const reps = arg('--reps', 8);
const n = arg('--n', 300);

function cpu(name, impl, fn, count = n) {
  for (let i = 0; i < Math.min(count, 200); i++) fn();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < count; i++) fn();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / count);
  }
  console.log(`${name} ${impl} ${best.toFixed(2)}`);
}

const msg64 = crypto.randomBytes(64);
const msg1k = crypto.randomBytes(1024);
const key = crypto.randomBytes(32);
const nonce = Buffer.alloc(12);

const xa = crypto.generateKeyPairSync('x25519');
const xb = crypto.generateKeyPairSync('x25519');
cpu('X25519_Agree', 'node:crypto', () => crypto.diffieHellman({ privateKey: xa.privateKey, publicKey: xb.publicKey }));
const ek = crypto.generateKeyPairSync('ed25519');
const sig = crypto.sign(null, msg64, ek.privateKey);
cpu('Ed25519_Sign', 'node:crypto', () => crypto.sign(null, msg64, ek.privateKey));
cpu('Ed25519_Verify', 'node:crypto', () => crypto.verify(null, msg64, ek.publicKey, sig));
cpu('Sha256_1KiB', 'node:crypto', () => crypto.createHash('sha256').update(msg1k).digest());
cpu('Hkdf_Sha256_44B', 'node:crypto', () => crypto.hkdfSync('sha256', key, Buffer.alloc(0), 'chhaya/v1/aead/aes256gcm/hkdf-n12', 44));
cpu('ChaCha20Poly1305_Encrypt_1KiB', 'node:crypto', () => {
  const c = crypto.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  c.update(msg1k); c.final(); return c.getAuthTag();
});
cpu('MessageKey_Seal_1KiB', 'node:crypto', () => {
  const okm = Buffer.from(crypto.hkdfSync('sha256', key, Buffer.alloc(0), 'chhaya/v1/aead/aes256gcm/hkdf-n12\0', 44));
  const c = crypto.createCipheriv('aes-256-gcm', okm.subarray(0, 32), okm.subarray(32));
  c.update(msg1k); c.final(); return c.getAuthTag();
});

// noble (pure JavaScript) is 10-40x slower; fewer calls per repetition keep the run short.
const xsa = x25519.utils.randomSecretKey();
const xpb = x25519.getPublicKey(x25519.utils.randomSecretKey());
cpu('X25519_Agree', '@noble/curves', () => x25519.getSharedSecret(xsa, xpb), 30);
const esk = ed25519.utils.randomSecretKey();
const epk = ed25519.getPublicKey(esk);
const esig = ed25519.sign(msg64, esk);
cpu('Ed25519_Sign', '@noble/curves', () => ed25519.sign(msg64, esk), 30);
cpu('Ed25519_Verify', '@noble/curves', () => ed25519.verify(esig, msg64, epk, { zip215: false }), 30);
