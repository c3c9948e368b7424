// SPDX-License-Identifier: AGPL-3.0-or-later
// A js-libp2p Kademlia DHT server for the Chhaya kad interop tests. It listens on 127.0.0.1 only, keeps loopback
// addresses in its DHT answers (passthroughMapper), validates the /chhaya/ signed-record namespace itself, and
// takes one JSON command per line on stdin, answering each with one JSON line on stdout:
//   {"id":N,"cmd":"dial","addr":MA}            -> {"id":N,"ok":true}
//   {"id":N,"cmd":"table"}                     -> {"id":N,"ok":true,"peers":[...]}   (routing-table peer ids)
//   {"id":N,"cmd":"findPeer","peer":ID}        -> {"id":N,"ok":true,"addrs":[...]}
//   {"id":N,"cmd":"closest","key":HEX}         -> {"id":N,"ok":true,"peers":[...]}
//   {"id":N,"cmd":"put","key":HEX,"value":HEX} -> {"id":N,"ok":true}
//   {"id":N,"cmd":"get","key":HEX}             -> {"id":N,"ok":true,"value":HEX}
// Closing stdin stops the node.
import './polyfill.mjs'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { createInterface } from 'node:readline'

const print = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
const hex = (b) => Buffer.from(b).toString('hex')
const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'))

// The Chhaya signed record (docs/kad.md): key /chhaya/NAME/PEERID; value = 0x01 || seq u64 BE || n u32 BE ||
// payload || Ed25519 signature over "chhaya/dht-record/v1\0" || u16 BE key length || key || seq || n || payload.
const DOMAIN = new TextEncoder().encode('chhaya/dht-record/v1\0')
function parseChhaya (key, value) {
  const parts = new TextDecoder().decode(key).split('/')
  if (parts.length !== 4 || parts[1] !== 'chhaya' || !/^[a-z0-9._-]{1,64}$/.test(parts[2])) throw new Error('bad chhaya key')
  const owner = peerIdFromString(parts[3])
  if (owner.type !== 'Ed25519' || owner.toString() !== parts[3]) throw new Error('owner must be an Ed25519 peer id')
  if (value.length < 13 + 64 || value[0] !== 1) throw new Error('bad chhaya value')
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength)
  const seq = view.getBigUint64(1)
  const n = view.getUint32(9)
  if (value.length !== 13 + n + 64) throw new Error('bad chhaya payload length')
  const signed = new Uint8Array(DOMAIN.length + 2 + key.length + 12 + n)
  const sv = new DataView(signed.buffer)
  signed.set(DOMAIN, 0)
  sv.setUint16(DOMAIN.length, key.length)
  signed.set(key, DOMAIN.length + 2)
  signed.set(value.subarray(1, 13 + n), DOMAIN.length + 2 + key.length)
  return { owner, seq, signed, signature: value.subarray(13 + n) }
}
async function validateChhaya (key, value) {
  const r = parseChhaya(key, value)
  if (!(await r.owner.publicKey.verify(r.signed, r.signature))) throw new Error('chhaya record signature does not verify')
}
function selectChhaya (key, values) {
  let best = -1
  let bestSeq = -1n
  values.forEach((v, i) => {
    try {
      const { seq } = parseChhaya(key, v)
      if (seq > bestSeq || (seq === bestSeq && Buffer.compare(Buffer.from(v), Buffer.from(values[best])) > 0)) { best = i; bestSeq = seq }
    } catch {}
  })
  return Math.max(best, 0)
}

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    ping: ping(),
    dht: kadDHT({
      clientMode: false,
      peerInfoMapper: passthroughMapper,
      allowQueryWithZeroPeers: true,
      validators: { chhaya: validateChhaya },
      selectors: { chhaya: selectChhaya }
    })
  }
})

const dht = node.services.dht
print({ event: 'listening', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map((a) => a.toString()) })

async function run (c) {
  const signal = AbortSignal.timeout(30000)
  switch (c.cmd) {
    case 'dial':
      await node.dial(multiaddr(c.addr), { signal })
      return {}
    case 'table': {
      const peers = [...dht.routingTable.kb.toIterable()].map((p) => p.peerId.toString())
      return { peers }
    }
    case 'findPeer': {
      const info = await node.peerRouting.findPeer(peerIdFromString(c.peer), { signal })
      return { addrs: info.multiaddrs.map((a) => a.toString()) }
    }
    case 'closest': {
      const peers = []
      for await (const p of node.peerRouting.getClosestPeers(unhex(c.key), { signal })) peers.push(p.id.toString())
      return { peers }
    }
    case 'put':
      await node.contentRouting.put(unhex(c.key), unhex(c.value), { signal })
      return {}
    case 'get':
      return { value: hex(await node.contentRouting.get(unhex(c.key), { signal })) }
    default:
      throw new Error('unknown command ' + c.cmd)
  }
}

const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  let c
  try { c = JSON.parse(line) } catch { return }
  run(c).then((r) => print({ id: c.id, ok: true, ...r }), (e) => print({ id: c.id, ok: false, error: String(e?.stack ?? e) }))
})
lines.on('close', async () => { await node.stop(); process.exit(0) })
