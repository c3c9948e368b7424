// SPDX-License-Identifier: AGPL-3.0-or-later
// js-libp2p <-> js-libp2p baseline for docs/performance/p2p.md, the same two measurements as the
// BenchmarkDotNet P2p benchmarks: bulk throughput of one Yamux stream over Noise on TCP loopback, and
// connection setup (dial + Noise + Yamux + close). 127.0.0.1 only.
//   node bench.mjs [MiB=64] [rounds=5] [dials=100]
import './polyfill.mjs'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'

const [mibArg, roundsArg, dialsArg] = process.argv.slice(2)
const MiB = Number(mibArg ?? 64)
const rounds = Number(roundsArg ?? 5)
const dials = Number(dialsArg ?? 100)
const PROTOCOL = '/chhaya/bench/sink/1.0.0'

const make = (listen) => createLibp2p({
  addresses: { listen: listen ? ['/ip4/127.0.0.1/tcp/0'] : [] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), ping: ping() },
  // The default of 5 inbound connections per second per host would measure the rate limit, not the stack.
  connectionManager: { inboundConnectionThreshold: 1e9, maxConnections: 1e6 }
})

const listener = await make(true)
const dialer = await make(false)
await listener.handle(PROTOCOL, async (stream) => {
  for await (const _ of stream) { /* drain */ }
  stream.send(new Uint8Array([1]))
  await stream.close()
})
const addr = listener.getMultiaddrs()[0]

async function sendOnce (bytes) {
  const chunk = new Uint8Array(256 * 1024).fill(7)
  const stream = await dialer.dialProtocol(addr, PROTOCOL)
  for (let sent = 0; sent < bytes; sent += chunk.byteLength) {
    if (!stream.send(chunk)) await stream.onDrain()
  }
  const closing = stream.close()
  for await (const _ of stream) break
  await closing
}

await sendOnce(8 * 1024 * 1024) // warm-up
const times = []
for (let i = 0; i < rounds; i++) {
  const t0 = performance.now()
  await sendOnce(MiB * 1024 * 1024)
  times.push(performance.now() - t0)
}
const meanMs = times.reduce((a, b) => a + b, 0) / times.length

await dialer.hangUp(listener.peerId)
for (let i = 0; i < 10; i++) { const c = await dialer.dial(addr); await c.close() } // warm-up
const d0 = performance.now()
for (let i = 0; i < dials; i++) {
  const c = await dialer.dial(addr)
  await c.close()
}
const dialMs = (performance.now() - d0) / dials

console.log(JSON.stringify({
  implementation: 'js-libp2p 3.3.11 (node ' + process.version + ')',
  throughput: { mib: MiB, rounds, meanMs: Number(meanMs.toFixed(1)), mibPerSecond: Number((MiB / (meanMs / 1000)).toFixed(1)) },
  connectionSetup: { dials, meanMs: Number(dialMs.toFixed(2)), perSecond: Number((1000 / dialMs).toFixed(1)) }
}))
await dialer.stop()
await listener.stop()
