// SPDX-License-Identifier: AGPL-3.0-or-later
// js-libp2p peers for the Chhaya relay and AutoNAT interop tests. 127.0.0.1 only; one JSON object per line.
//   node relay.mjs relay            -> a circuit relay v2 server (no limits) with AutoNAT; prints
//                                      {"event":"listening",...}; runs until stdin closes
//   node relay.mjs target RELAYADDR -> reserves a slot on the relay at RELAYADDR (.../p2p/RELAY); prints
//                                      {"event":"reserved","peerId":...,"addrs":[...]}; reports identify events;
//                                      runs until stdin closes
//   node relay.mjs dial CIRCUITADDR -> dials through a relay, waits for identify, pings 3 times, prints
//                                      {"event":"result",...} and exits
import './polyfill.mjs'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { autoNAT } from '@libp2p/autonat'
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { multiaddr } from '@multiformats/multiaddr'

const [mode, target] = process.argv.slice(2)
const print = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

const services = { identify: identify(), ping: ping() }
if (mode === 'relay') {
  services.relay = circuitRelayServer({ reservations: { applyDefaultLimit: false } })
  services.autonat = autoNAT()
}

const listen = mode === 'relay' ? ['/ip4/127.0.0.1/tcp/0'] : mode === 'target' ? [target + '/p2p-circuit'] : []
const node = await createLibp2p({
  addresses: { listen },
  transports: [tcp(), circuitRelayTransport()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  connectionGater: { denyDialMultiaddr: () => false },
  services
})

const identified = new Map()
node.addEventListener('peer:identify', (evt) => {
  const d = evt.detail
  const info = { event: 'identify', peerId: d.peerId.toString(), agentVersion: d.agentVersion, protocols: d.protocols }
  identified.set(info.peerId, info)
  print(info)
})

const stopOnStdinEnd = () => {
  process.stdin.resume()
  process.stdin.on('end', async () => { await node.stop(); process.exit(0) })
}

if (mode === 'relay') {
  print({ event: 'listening', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map((a) => a.toString()) })
  stopOnStdinEnd()
} else if (mode === 'target') {
  let addrs = []
  for (let i = 0; i < 300; i++) {
    addrs = node.getMultiaddrs().map((a) => a.toString()).filter((a) => a.includes('/p2p-circuit'))
    if (addrs.length > 0) break
    await sleep(100)
  }
  print({ event: addrs.length > 0 ? 'reserved' : 'failed', peerId: node.peerId.toString(), addrs })
  stopOnStdinEnd()
} else if (mode === 'dial') {
  const result = { event: 'result', ok: false }
  try {
    const conn = await node.dial(multiaddr(target))
    const remote = conn.remotePeer.toString()
    result.remotePeer = remote
    result.remoteAddr = conn.remoteAddr.toString()
    result.limited = conn.limits != null
    for (let i = 0; i < 150 && !identified.has(remote); i++) await sleep(100)
    result.identify = identified.get(remote) ?? null
    result.rtts = []
    for (let i = 0; i < 3; i++) result.rtts.push(await node.services.ping.ping(conn.remotePeer))
    result.ok = true
  } catch (e) {
    result.error = String(e?.stack ?? e)
  }
  print(result)
  await node.stop()
  process.exit(result.ok ? 0 : 1)
} else {
  console.error('usage: node relay.mjs relay | target RELAYADDR | dial CIRCUITADDR')
  process.exit(2)
}
