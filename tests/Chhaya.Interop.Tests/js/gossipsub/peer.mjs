// SPDX-License-Identifier: AGPL-3.0-or-later
// A js-libp2p gossipsub peer (@libp2p/gossipsub) for the Chhaya interop tests, on 127.0.0.1 only, with no peer
// discovery. It subscribes to TOPIC, prints one JSON object per line on stdout and reads commands on stdin:
//   node peer.mjs TOPIC [MULTIADDR]   -> {"event":"listening",...}; dials MULTIADDR when given
//   stdin "publish HEX"               -> publishes, then {"event":"published","recipients":[...]}
//   stdin "mesh"                      -> {"event":"mesh","peers":[...]}
// Events: {"event":"subscription",...} for each remote subscription change, {"event":"message",...} with the
// received message's from, seqno, data and signature in hex, {"event":"graft",...}. Closing stdin stops the node.
import './polyfill.mjs'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@libp2p/gossipsub'
import { multiaddr } from '@multiformats/multiaddr'
import readline from 'node:readline'

const [topic, target] = process.argv.slice(2)
const print = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
const hex = (bytes) => Buffer.from(bytes).toString('hex')
const seqnoBytes = (n) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(n)); return b }

// The spec's default message id, from || seqno (js would use the author's key + seqno), so ids agree with
// Chhaya's and IHAVE/IWANT work across the two.
const msgIdFn = (msg) => new Uint8Array(Buffer.concat([Buffer.from(msg.from.toMultihash().bytes), seqnoBytes(msg.sequenceNumber)]))

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    pubsub: gossipsub({
      emitSelf: false,
      allowPublishToZeroTopicPeers: true,
      globalSignaturePolicy: 'StrictSign',
      heartbeatInterval: 200,
      msgIdFn
    })
  }
})

const pubsub = node.services.pubsub
pubsub.addEventListener('subscription-change', (evt) => print({
  event: 'subscription',
  peerId: evt.detail.peerId.toString(),
  subscriptions: evt.detail.subscriptions.map((s) => ({ topic: s.topic, subscribe: s.subscribe }))
}))
pubsub.addEventListener('gossipsub:graft', (evt) => print({ event: 'graft', peerId: evt.detail.peerId, topic: evt.detail.topic }))
pubsub.addEventListener('message', (evt) => {
  const m = evt.detail
  print({
    event: 'message',
    type: m.type,
    topic: m.topic,
    from: m.type === 'signed' ? m.from.toString() : null,
    fromHex: m.type === 'signed' ? hex(m.from.toMultihash().bytes) : null,
    seqno: m.type === 'signed' ? hex(seqnoBytes(m.sequenceNumber)) : null,
    data: hex(m.data),
    signature: m.type === 'signed' ? hex(m.signature) : null
  })
})
pubsub.subscribe(topic)

print({ event: 'listening', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map((a) => a.toString()) })
if (target) {
  try {
    await node.dial(multiaddr(target))
    print({ event: 'dialed' })
  } catch (e) {
    print({ event: 'error', error: String(e?.stack ?? e) })
  }
}

const rl = readline.createInterface({ input: process.stdin })
rl.on('line', async (line) => {
  const [cmd, arg] = line.trim().split(' ')
  try {
    if (cmd === 'publish') {
      const result = await pubsub.publish(topic, Buffer.from(arg, 'hex'))
      print({ event: 'published', recipients: result.recipients.map((p) => p.toString()) })
    } else if (cmd === 'mesh') {
      print({ event: 'mesh', peers: pubsub.getMeshPeers(topic) })
    }
  } catch (e) {
    print({ event: 'error', error: String(e?.stack ?? e) })
  }
})
rl.on('close', async () => { await node.stop(); process.exit(0) })
