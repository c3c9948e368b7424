// SPDX-License-Identifier: AGPL-3.0-or-later
// Node.js side of the crypto benchmark comparison: the same operations as
// bench/Chhaya.Benchmarks/Crypto, with node:crypto (OpenSSL) where it has them and @noble otherwise.
// Usage: node bench.mjs [--ms 1500]   Prints one JSON line per operation: { op, impl, nsPerOp }.
import crypto from 'node:crypto';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { ml_kem1024 } from '@noble/post-quantum/ml-kem.js';

const budgetMs = Number(process.argv[process.argv.indexOf('--ms') + 1]) || 1500;

function bench(op, impl, fn) {
  // Warm up, then run batches until the time budget is spent; report the best batch (least disturbed).
  for (let i = 0; i < 20; i++) fn();
  let batch = 1;
  for (;;) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    if (Number(process.hrtime.bigint() - t) > 20e6) break;
    batch *= 2;
  }
  let best = Infinity;
  const end = Date.now() + budgetMs;
  while (Date.now() < end) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / batch);
  }
  console.log(JSON.stringify({ op, impl, nsPerOp: Math.round(best) }));
}

const msg1k = crypto.randomBytes(1024);
const key = crypto.randomBytes(32);
const nonce = Buffer.alloc(12);
const msg64 = crypto.randomBytes(64);

bench('Sha256_1KiB', 'node:crypto', () => crypto.createHash('sha256').update(msg1k).digest());
bench('Hkdf_Sha256_44B', 'node:crypto', () => crypto.hkdfSync('sha256', key, Buffer.alloc(0), 'chhaya/v1/aead/aes256gcm/hkdf-n12', 44));
bench('ChaCha20Poly1305_Encrypt_1KiB', 'node:crypto', () => {
  const c = crypto.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  c.update(msg1k); c.final(); return c.getAuthTag();
});
bench('AesGcm256_Encrypt_1KiB', 'node:crypto', () => {
  const c = crypto.createCipheriv('aes-256-gcm', key, nonce);
  c.update(msg1k); c.final(); return c.getAuthTag();
});
bench('MessageKey_Seal_1KiB (HKDF-n12 + AES-256-GCM)', 'node:crypto', () => {
  const okm = Buffer.from(crypto.hkdfSync('sha256', key, Buffer.alloc(0), 'chhaya/v1/aead/aes256gcm/hkdf-n12\0', 44));
  const c = crypto.createCipheriv('aes-256-gcm', okm.subarray(0, 32), okm.subarray(32));
  c.update(msg1k); c.final(); return c.getAuthTag();
});

// X25519 and Ed25519 through OpenSSL key objects.
const xa = crypto.generateKeyPairSync('x25519');
const xb = crypto.generateKeyPairSync('x25519');
bench('X25519_Agree', 'node:crypto', () => crypto.diffieHellman({ privateKey: xa.privateKey, publicKey: xb.publicKey }));
const ek = crypto.generateKeyPairSync('ed25519');
const sig = crypto.sign(null, msg64, ek.privateKey);
bench('Ed25519_Sign', 'node:crypto', () => crypto.sign(null, msg64, ek.privateKey));
bench('Ed25519_Verify', 'node:crypto', () => crypto.verify(null, msg64, ek.publicKey, sig));

// The same through noble (pure JavaScript).
const xsa = x25519.utils.randomSecretKey();
const xpb = x25519.getPublicKey(x25519.utils.randomSecretKey());
bench('X25519_Agree', '@noble/curves', () => x25519.getSharedSecret(xsa, xpb));
const esk = ed25519.utils.randomSecretKey();
const epk = ed25519.getPublicKey(esk);
const esig = ed25519.sign(msg64, esk);
bench('Ed25519_Sign', '@noble/curves', () => ed25519.sign(msg64, esk));
bench('Ed25519_Verify', '@noble/curves', () => ed25519.verify(esig, msg64, epk, { zip215: false }));

// ML-KEM-1024: node 20's OpenSSL 3.0 has none, so noble is the only outside figure.
const seed = crypto.randomBytes(64);
const kp = ml_kem1024.keygen(seed);
const enc = ml_kem1024.encapsulate(kp.publicKey);
bench('MlKem1024_KeyGen', '@noble/post-quantum', () => ml_kem1024.keygen(seed));
bench('MlKem1024_Encapsulate', '@noble/post-quantum', () => ml_kem1024.encapsulate(kp.publicKey));
bench('MlKem1024_Decapsulate', '@noble/post-quantum', () => ml_kem1024.decapsulate(enc.cipherText, kp.secretKey.slice()));
