// SPDX-License-Identifier: AGPL-3.0-or-later
// The outside side of the crypto cross-check: reads one JSON request on stdin (values made by Chhaya),
// checks and answers with values made by noble, as JSON on stdout. The C# test compares both directions.
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { randomBytes } from '@noble/hashes/utils.js';

const hex = (b) => Buffer.from(b).toString('hex');
const bytes = (h) => new Uint8Array(Buffer.from(h, 'hex'));

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const req = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const out = { ed25519: [], x25519: [], mlkem: [], nobleEd25519: [], nobleMlkem: [] };

// Chhaya's Ed25519 keys and signatures, checked by noble with strict (non-ZIP-215) rules.
for (const c of req.ed25519) {
  const seed = bytes(c.seed);
  const msg = bytes(c.msg);
  const sig = bytes(c.sig);
  const tampered = sig.slice();
  tampered[0] ^= 1;
  out.ed25519.push({
    publicKey: hex(ed25519.getPublicKey(seed)),
    signature: hex(ed25519.sign(msg, seed)),
    verifies: ed25519.verify(sig, msg, bytes(c.publicKey), { zip215: false }),
    tamperedVerifies: ed25519.verify(tampered, msg, bytes(c.publicKey), { zip215: false }),
  });
}

// X25519: public keys and the shared secret with Chhaya's peer key.
for (const c of req.x25519) {
  out.x25519.push({
    publicKey: hex(x25519.getPublicKey(bytes(c.privateKey))),
    shared: hex(x25519.getSharedSecret(bytes(c.privateKey), bytes(c.peerPublicKey))),
  });
}

// ML-KEM-1024: key generation from Chhaya's seed, decapsulation of Chhaya's ciphertext, and a noble
// encapsulation to Chhaya's key for Chhaya to decapsulate.
for (const c of req.mlkem) {
  const keys = ml_kem1024.keygen(bytes(c.seed));
  const fromDotnet = ml_kem1024.decapsulate(bytes(c.ciphertext), keys.secretKey.slice());
  const toDotnet = ml_kem1024.encapsulate(bytes(c.encapsulationKey));
  out.mlkem.push({
    encapsulationKey: hex(keys.publicKey),
    decapsulationKey: hex(keys.secretKey),
    sharedFromDotnetCiphertext: hex(fromDotnet),
    ciphertext: hex(toDotnet.cipherText),
    shared: hex(toDotnet.sharedSecret),
  });
}

// Values made by noble alone with its own randomness, for Chhaya to accept.
for (let i = 0; i < req.randomCount; i++) {
  const seed = randomBytes(32);
  const msg = randomBytes(i * 13);
  out.nobleEd25519.push({ publicKey: hex(ed25519.getPublicKey(seed)), msg: hex(msg), signature: hex(ed25519.sign(msg, seed)) });
  const keys = ml_kem1024.keygen();
  const enc = ml_kem1024.encapsulate(keys.publicKey);
  out.nobleMlkem.push({ decapsulationKey: hex(keys.secretKey), ciphertext: hex(enc.cipherText), shared: hex(enc.sharedSecret) });
}

process.stdout.write(JSON.stringify(out));
