import CMosquitto
import Glibc
import Synchronization

/// What the C callbacks reach through libmosquitto's `obj` pointer.
final class CallbackBox: Sendable {
    let mosquitto: LibMosquitto
    let maxQueued: Int
    let maxQueuedBytes: Int
    /// Sizes of the messages in flight, oldest first: libmosquitto names a finished message only by its id, and
    /// completes them in order (QoS 0 as sent, QoS 1 as acknowledged), so the oldest size is the one to release.
    private let sizes = Mutex<(sizes: [Int], head: Int)>(([], 0))
    let onConnect: MQTTClient.ConnectHandler?
    let onMessage: MQTTClient.MessageHandler?
    private let state = Mutex(MQTTClient.Counters())
    private let isStopping = Atomic<Bool>(false)

    init(
        mosquitto: LibMosquitto, maxQueued: Int, maxQueuedBytes: Int, onConnect: MQTTClient.ConnectHandler?,
        onMessage: MQTTClient.MessageHandler?
    ) {
        self.mosquitto = mosquitto
        self.maxQueued = maxQueued
        self.maxQueuedBytes = maxQueuedBytes
        self.onConnect = onConnect
        self.onMessage = onMessage
    }

    var counters: MQTTClient.Counters { state.withLock { $0 } }

    /// Takes a queue slot and its bytes, or counts the message dropped. A control message always gets one.
    func reserve(bytes: Int, control: Bool) -> Bool {
        state.withLock { s in
            guard control || (s.queued < maxQueued && (s.queuedBytes + bytes <= maxQueuedBytes || s.queued == 0)) else {
                s.dropped += 1
                return false
            }
            s.queued += 1
            s.queuedBytes += bytes
            sizes.withLock { $0.sizes.append(bytes) }
            return true
        }
    }

    /// libmosquitto answers a QoS 1 publish made while disconnected with MOSQ_ERR_NO_CONN yet keeps the message
    /// and sends it after reconnecting: it stays queued (and counted against the bound) until acknowledged.
    func published(rc: Int32, qos: QoS) {
        state.withLock { s in
            if rc == Int32(MOSQ_ERR_SUCCESS.rawValue) || (rc == Int32(MOSQ_ERR_NO_CONN.rawValue) && qos == .atLeastOnce) {
                s.published += 1
            } else {
                s.queued -= 1
                s.queuedBytes = max(0, s.queuedBytes - sizes.withLock { q in q.sizes.count > q.head ? q.sizes.removeLast() : 0 })
                s.dropped += 1
            }
        }
    }

    func delivered() {
        state.withLock { s in
            s.delivered += 1
            s.queued = max(0, s.queued - 1)
            let released = sizes.withLock { q -> Int in
                guard q.head < q.sizes.count else { return 0 }
                defer {
                    q.head += 1
                    // Compact now and then so the array does not grow with the run.
                    if q.head >= 1024 && q.head * 2 >= q.sizes.count {
                        q.sizes.removeFirst(q.head)
                        q.head = 0
                    }
                }
                return q.sizes[q.head]
            }
            s.queuedBytes = s.queued == 0 ? 0 : max(0, s.queuedBytes - released)
        }
    }

    func connected(rc: Int32, sessionPresent: Bool) {
        guard rc == 0 else {
            fail("the broker refused the connection: \(mosquitto.describe(reason: rc))")
            return
        }
        state.withLock { s in
            s.connected = true
            s.connections += 1
        }
        onConnect?(sessionPresent)
    }

    func disconnected(rc: Int32) {
        let clean = isStopping.load(ordering: .acquiring) || rc == 0
        state.withLock { s in
            if s.connected && !clean { s.disconnections += 1 }
            s.connected = false
            if !clean { s.lastFailure = s.lastFailure ?? "connection lost" }
        }
    }

    func subscribed() { state.withLock { $0.subscriptionsAcknowledged += 1 } }

    /// `withLog`: add libmosquitto's last logged error, the only place it says why a TLS handshake failed.
    func fail(_ why: String, withLog: Bool = false) {
        let detail = withLog ? lastLogError.map { " (\($0))" } ?? "" : ""
        state.withLock { $0.lastFailure = why + detail }
    }

    private let lastLogErrorBox = Mutex<String?>(nil)
    var lastLogError: String? { lastLogErrorBox.withLock { $0 } }

    func logged(error text: String) {
        lastLogErrorBox.withLock { $0 = text }
        fail(text)
    }

    func stopping() { isStopping.store(true, ordering: .releasing) }

    func waitUntilDrained(seconds: Double) {
        var waited = 0.0
        while waited < seconds {
            let s = counters
            if s.queued == 0 || !s.connected { return }
            usleep(10_000)
            waited += 0.01
        }
    }
}

func callbacks(_ obj: UnsafeMutableRawPointer?) -> CallbackBox {
    Unmanaged<CallbackBox>.fromOpaque(obj!).takeUnretainedValue()
}

let onConnectC: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32, Int32, OpaquePointer?) -> Void = {
    _, obj, rc, flags, _ in callbacks(obj).connected(rc: rc, sessionPresent: flags & 1 == 1)
}
let onDisconnectC: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32, OpaquePointer?) -> Void = {
    _, obj, rc, _ in callbacks(obj).disconnected(rc: rc)
}
let onPublishC: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32, Int32, OpaquePointer?) -> Void = {
    _, obj, _, _, _ in callbacks(obj).delivered()
}
let onMessageC: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafePointer<mosquitto_message>?, OpaquePointer?) -> Void = {
    _, obj, message, _ in
    guard let m = message?.pointee, let handler = callbacks(obj).onMessage else { return }
    handler(String(cString: m.topic), UnsafeRawBufferPointer(start: m.payload, count: Int(m.payloadlen)), m.retain)
}
let onSubscribeC: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32, Int32, UnsafePointer<Int32>?, OpaquePointer?) -> Void = {
    _, obj, _, _, _, _ in callbacks(obj).subscribed()
}
/// libmosquitto says why a TLS handshake or a socket failed only in its log.
let onLogC: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?) -> Void = {
    _, obj, level, text in
    guard level & Int32(MOSQ_LOG_ERR) != 0, let text else { return }
    callbacks(obj).logged(error: String(cString: text))
}
