import CMosquitto
import Glibc
import Synchronization

/// One connection to a broker on a libmosquitto handle, run by libmosquitto's own network thread
/// (`mosquitto_loop_start`), which also reconnects after a loss. Publishing never blocks on the network:
/// a message is queued inside libmosquitto, or refused and counted when the bounded queue is full or, for
/// QoS 0, when there is no connection. The handle is released when the client goes away.
public final class MQTTClient: Sendable {
    /// What the broker and the network did, for the caller's events and its final verdict.
    public struct Counters: Sendable, Equatable {
        public var connected = false
        public var connections: UInt64 = 0
        /// Lost connections (the broker went away, the network broke), not counting a clean stop.
        public var disconnections: UInt64 = 0
        public var published: UInt64 = 0
        /// Sent (QoS 0) or acknowledged by the broker (QoS 1).
        public var delivered: UInt64 = 0
        /// Refused: queue full, or no connection for QoS 0.
        public var dropped: UInt64 = 0
        public var queued = 0
        public var queuedBytes = 0
        /// Subscriptions the broker acknowledged (SUBACK), over every connection.
        public var subscriptionsAcknowledged: UInt64 = 0
        /// The latest reason a connection failed or was refused, in libmosquitto's or the broker's words.
        public var lastFailure: String?
    }

    public typealias MessageHandler = @Sendable (_ topic: String, _ payload: UnsafeRawBufferPointer, _ retained: Bool) -> Void
    public typealias ConnectHandler = @Sendable (_ sessionPresent: Bool) -> Void

    public let options: MQTTOptions
    /// libmosquitto's handle: its network thread and any caller may use it at once (`mosquitto_loop_start` puts
    /// it in threaded mode, where publish and subscribe lock internally); only `deinit` destroys it.
    nonisolated(unsafe) private let handle: OpaquePointer
    private let mosquitto: LibMosquitto
    private let box: Unmanaged<CallbackBox>
    private let started = Atomic<Bool>(false)

    /// Configures a handle (protocol, credentials, TLS, Will, reconnect policy); connects nothing yet.
    /// `onConnect` runs on the network thread after every (re)connection, `onMessage` for every message of a
    /// subscription.
    public init(
        options: MQTTOptions, onConnect: ConnectHandler? = nil, onMessage: MessageHandler? = nil
    ) throws(MQTTError) {
        let mosquitto = try LibMosquitto.load()
        self.mosquitto = mosquitto
        self.options = options
        let callbacks = CallbackBox(
            mosquitto: mosquitto, maxQueued: options.maxQueuedMessages, maxQueuedBytes: options.maxQueuedBytes, onConnect: onConnect, onMessage: onMessage)
        let box = Unmanaged.passRetained(callbacks)
        guard let h = mosquitto.new(options.clientID, !options.persistentSession, box.toOpaque()) else {
            box.release()
            throw MQTTError(code: Int32(MOSQ_ERR_ERRNO.rawValue), call: "mosquitto_new", systemError: errno)
        }
        handle = h
        self.box = box
        do throws(MQTTError) { try configure(options) } catch {
            mosquitto.destroy(h)
            box.release()
            throw error
        }
        mosquitto.connect_v5_callback_set(h, onConnectC)
        mosquitto.disconnect_v5_callback_set(h, onDisconnectC)
        mosquitto.publish_v5_callback_set(h, onPublishC)
        mosquitto.message_v5_callback_set(h, onMessageC)
        mosquitto.log_callback_set(h, onLogC)
        mosquitto.subscribe_v5_callback_set(h, onSubscribeC)
    }

    private func configure(_ o: MQTTOptions) throws(MQTTError) {
        let version = o.protocolVersion == .v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311
        try MQTTCall.check("protocol version", mosquitto.int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, version))
        if o.username != nil || o.password != nil {
            try MQTTCall.check("user name and password", mosquitto.username_pw_set(handle, o.username, o.password))
        }
        if let tls = o.tls {
            if tls.caFile == nil {
                try MQTTCall.check("system CAs", mosquitto.int_option(handle, MOSQ_OPT_TLS_USE_OS_CERTS, 1))
            }
            for file in [tls.caFile, tls.certificateFile, tls.keyFile].compactMap({ $0 }) where access(file, R_OK) != 0 {
                throw MQTTError(code: Int32(MOSQ_ERR_ERRNO.rawValue), call: file, systemError: errno)
            }
            try MQTTCall.check(
                "TLS setup", mosquitto.tls_set(handle, tls.caFile, nil, tls.certificateFile, tls.keyFile, nil))
        }
        if let will = o.will {
            let rc = will.payload.withUnsafeBytes { p in
                mosquitto.will_set(handle, will.topic, Int32(p.count), p.baseAddress, will.qos.rawValue, will.retain)
            }
            try MQTTCall.check("last will", rc)
        }
        try MQTTCall.check(
            "reconnect delay", mosquitto.reconnect_delay_set(handle, o.reconnectMinSeconds, o.reconnectMaxSeconds, true))
    }

    deinit {
        stop()
        mosquitto.destroy(handle)
        box.release()
    }

    /// Starts the network thread and the first connection attempt. A broker that cannot be reached now is
    /// retried in the background (see ``counters`` for why it failed). Returns at once, except for a persistent
    /// session under MQTT 5, which waits for the TCP (and TLS) connect: see ``connect(host:port:)``.
    public func start(host: String, port: Int) throws(MQTTError) {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let rc = connect(host: host, port: port)
        if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) {
            // Not fatal: the network thread keeps trying, and the reason is kept for the caller.
            let e = MQTTError(code: rc, call: "connect to \(host):\(port)", systemError: rc == Int32(MOSQ_ERR_ERRNO.rawValue) ? errno : 0)
            box.takeUnretainedValue().fail(e.description, withLog: true)
        }
        try MQTTCall.check("mosquitto_loop_start", mosquitto.loop_start(handle))
    }

    /// Under MQTT 5 a session outlives its connection only if CONNECT carries a Session Expiry Interval.
    /// `mosquitto_connect_bind_v5` is the one call that takes CONNECT properties, and libmosquitto (2.0) keeps
    /// them for every automatic reconnect of the network thread, so each CONNECT asks for the session again;
    /// `mosquitto_connect_async` takes none. The price: the TCP connect of this first attempt is made here.
    private func connect(host: String, port: Int) -> Int32 {
        guard options.persistentSession && options.protocolVersion == .v5 else {
            return mosquitto.connect_async(handle, host, Int32(port), options.keepAliveSeconds)
        }
        var properties: OpaquePointer?
        defer { mosquitto.property_free_all(&properties) }
        let added = mosquitto.property_add_int32(
            &properties, Int32(MQTT_PROP_SESSION_EXPIRY_INTERVAL.rawValue), options.sessionExpirySeconds)
        guard added == Int32(MOSQ_ERR_SUCCESS.rawValue) else { return added }
        return mosquitto.connect_bind_v5(handle, host, Int32(port), options.keepAliveSeconds, nil, properties)
    }

    /// Waits until everything queued is delivered or `seconds` pass (a last guard when the broker is gone),
    /// then says goodbye (no Will) and joins the network thread. Idempotent.
    public func stop(drainingFor seconds: Double = 0) {
        guard started.exchange(false, ordering: .acquiringAndReleasing) else { return }
        let callbacks = box.takeUnretainedValue()
        if seconds > 0 { callbacks.waitUntilDrained(seconds: seconds) }
        callbacks.stopping()
        // Neither can fail in a way left to handle here: no connection is already what is asked for.
        _ = mosquitto.disconnect(handle)
        _ = mosquitto.loop_stop(handle, false)
    }

    /// Queues one message. Never blocks; returns whether libmosquitto took it (otherwise it is counted dropped).
    /// A `control` message (a device's status, meta or events: small and rare) is queued even past the bound:
    /// the data queued after a meta cannot be read without it, and an event says what the bound refused; it still
    /// counts in the queue until delivered.
    @discardableResult
    public func publish(topic: String, payload: UnsafeRawBufferPointer, qos: QoS, retain: Bool = false, control: Bool = false) -> Bool {
        let callbacks = box.takeUnretainedValue()
        guard callbacks.reserve(bytes: payload.count, control: control) else { return false }
        var mid: Int32 = 0
        let rc = mosquitto.publish(handle, &mid, topic, Int32(payload.count), payload.baseAddress, qos.rawValue, retain)
        callbacks.published(rc: rc, qos: qos)
        return rc == Int32(MOSQ_ERR_SUCCESS.rawValue) || (rc == Int32(MOSQ_ERR_NO_CONN.rawValue) && qos == .atLeastOnce)
    }

    @discardableResult
    public func publish(topic: String, bytes: [UInt8], qos: QoS, retain: Bool = false, control: Bool = false) -> Bool {
        bytes.withUnsafeBytes { publish(topic: topic, payload: $0, qos: qos, retain: retain, control: control) }
    }

    /// Subscribes now if connected; call it from `onConnect` so a reconnection subscribes again.
    public func subscribe(_ pattern: String, qos: QoS) throws(MQTTError) {
        try MQTTCall.check("subscribe \(pattern)", mosquitto.subscribe(handle, nil, pattern, qos.rawValue))
    }

    public var counters: Counters { box.takeUnretainedValue().counters }
}

