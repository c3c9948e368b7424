// SPDX-License-Identifier: AGPL-3.0-or-later
// A js-libp2p peer for the Chhaya interop tests. It listens and dials on 127.0.0.1 only and prints one JSON
// object per line on stdout.
//   node peer.mjs listen                 -> {"event":"listening","peerId":...,"addrs":[...]}, then reports
//                                           {"event":"identify",...} for every peer that identifies, until stdin closes
//   node peer.mjs dial MULTIADDR [IDLE_S] -> dials, waits for identify, pings 3 times, optionally idles IDLE_S
//                                           seconds and pings again, prints {"event":"result",...} and exits
//   node peer.mjs send MULTIADDR MIB      -> opens the sink protocol, sends MIB MiB in 256 KiB writes, half-closes,
//                                           prints {"event":"result","reply":...} with the receiver's reply and exits
// In listen mode the sink protocol drains a stream and answers the number of bytes it read, in decimal.
import './polyfill.mjs'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'

const [mode, target, idleArg] = process.argv.slice(2)
const print = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

const node = await createLibp2p({
  addresses: { listen: mode === 'listen' ? ['/ip4/127.0.0.1/tcp/0'] : [] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), ping: ping() }
})

const SINK = '/chhaya/test/sink/1.0.0'
await node.handle(SINK, async (stream) => {
  let n = 0
  for await (const chunk of stream) n += chunk.byteLength
  stream.send(new TextEncoder().encode(String(n)))
  await stream.close()
})

const identified = new Map()
node.addEventListener('peer:identify', (evt) => {
  const d = evt.detail
  const info = {
    event: 'identify',
    peerId: d.peerId.toString(),
    agentVersion: d.agentVersion,
    protocolVersion: d.protocolVersion,
    protocols: d.protocols,
    listenAddrs: d.listenAddrs.map((a) => a.toString())
  }
  identified.set(info.peerId, info)
  print(info)
})
node.addEventListener('peer:disconnect', (evt) => print({ event: 'disconnect', peerId: evt.detail.toString() }))

if (mode === 'listen') {
  print({ event: 'listening', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map((a) => a.toString()) })
  process.stdin.resume()
  process.stdin.on('end', async () => { await node.stop(); process.exit(0) })
} else if (mode === 'dial') {
  const result = { event: 'result', ok: false }
  try {
    const ma = multiaddr(target)
    const conn = await node.dial(ma)
    const remote = conn.remotePeer.toString()
    result.remotePeer = remote
    for (let i = 0; i < 150 && !identified.has(remote); i++) await sleep(100)
    result.identify = identified.get(remote) ?? null
    result.rtts = []
    for (let i = 0; i < 3; i++) result.rtts.push(await node.services.ping.ping(conn.remotePeer))
    const idle = Number(idleArg ?? 0)
    if (idle > 0) {
      await sleep(idle * 1000)
      result.connectionsAfterIdle = node.getConnections(conn.remotePeer).length
      result.rttAfterIdle = await node.services.ping.ping(conn.remotePeer)
    }
    result.ok = true
  } catch (e) {
    result.error = String(e?.stack ?? e)
  }
  print(result)
  await node.stop()
  process.exit(result.ok ? 0 : 1)
} else if (mode === 'send') {
  const result = { event: 'result', ok: false }
  try {
    const stream = await node.dialProtocol(multiaddr(target), SINK)
    const chunk = new Uint8Array(256 * 1024)
    for (let i = 0; i < chunk.length; i++) chunk[i] = i % 251
    const bytes = Number(idleArg) * 1024 * 1024
    for (let sent = 0; sent < bytes; sent += chunk.byteLength) {
      if (!stream.send(chunk)) await stream.onDrain()
    }
    const closing = stream.close()
    let reply = ''
    for await (const part of stream) reply += new TextDecoder().decode(part.subarray())
    await closing
    result.reply = reply
    result.ok = true
  } catch (e) {
    result.error = String(e?.stack ?? e)
  }
  print(result)
  await node.stop()
  process.exit(result.ok ? 0 : 1)
} else {
  console.error('usage: node peer.mjs listen | dial MULTIADDR [IDLE_SECONDS] | send MULTIADDR MIB')
  process.exit(2)
}
