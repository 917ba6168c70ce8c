/// How to reach a broker and behave there: everything a libmosquitto handle is configured with before it
/// connects. Plain values: the command line and the tests build them.
public struct MQTTOptions: Sendable {
    public enum ProtocolVersion: String, Sendable, CaseIterable {
        case v5 = "5"
        case v311 = "3.1.1"
    }

    public struct TLS: Sendable, Equatable {
        /// PEM file of the CA(s) the broker's certificate must chain to; nil uses the system's CAs.
        public var caFile: String?
        /// Client certificate and its key (PEM), for brokers that authenticate clients by certificate.
        public var certificateFile: String?
        public var keyFile: String?

        public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil) {
            self.caFile = caFile
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }
    }

    /// The message the broker publishes for this client when it vanishes without saying goodbye.
    public struct Will: Sendable, Equatable {
        public var topic: String
        public var payload: [UInt8]
        public var qos: QoS
        public var retain: Bool

        public init(topic: String, payload: [UInt8], qos: QoS = .atLeastOnce, retain: Bool = true) {
            self.topic = topic
            self.payload = payload
            self.qos = qos
            self.retain = retain
        }
    }

    public var clientID: String
    public var protocolVersion: ProtocolVersion = .v5
    public var username: String?
    public var password: String?
    public var tls: TLS?
    public var will: Will?
    public var keepAliveSeconds: Int32 = 30
    /// Reconnect after a lost connection: first after `reconnectMinSeconds`, doubling up to the maximum.
    public var reconnectMinSeconds: UInt32 = 1
    public var reconnectMaxSeconds: UInt32 = 30
    /// Keep the session (subscriptions, unacknowledged QoS 1 messages) on the broker across reconnects.
    public var persistentSession = false
    /// How long the broker keeps a persistent session after the connection ends, under MQTT 5 (where a session
    /// without this CONNECT property ends with its connection; 3.1.1 keeps it with no limit). The default, never
    /// (0xFFFFFFFF), is what 3.1.1 gives, so the protocol version does not change what an archive restarted later
    /// receives; the broker's queue limits (and its own `max_session_expiry_interval`, if set) still bound it.
    public var sessionExpirySeconds: UInt32 = .max
    /// Messages handed to libmosquitto and not yet sent (QoS 0) or acknowledged (QoS 1); past this a publish is
    /// refused and counted as dropped, so an absent broker costs bounded memory, never a blocked caller.
    public var maxQueuedMessages = 1000
    /// The same bound in bytes (payloads), so large messages (many channels at a high rate) stay bounded too.
    /// One message is always let through however large, so a single big message is never refused outright.
    public var maxQueuedBytes = 64 << 20

    public init(clientID: String) { self.clientID = clientID }
}

public enum QoS: Int32, Sendable, Equatable {
    case atMostOnce = 0
    case atLeastOnce = 1
}
