// SPDX-License-Identifier: AGPL-3.0-or-later
// libp2p 3.x calls Promise.withResolvers(), which Node.js has only from version 22.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers () {
    let resolve
    let reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}
