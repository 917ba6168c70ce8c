/// The topic tree under `mosquito/v1/<site>/<serial>/` (docs/mqtt.md): what each kind of message is called.
public struct DeviceTopics: Sendable, Equatable {
    public static let root = "mosquito/v1"
    public let base: String

    public init(site: String, serial: String) {
        base = "\(Self.root)/\(site)/\(Self.level(serial))"
    }

    public var status: String { base + "/status" }
    public var meta: String { base + "/meta" }
    public var data: String { base + "/data" }
    public var events: String { base + "/events" }
    public var summary: String { base + "/summary" }

    /// A serial as one topic level: MQTT's wildcards and separators become `_` (a serial holds none of them
    /// on real instruments; this keeps a hostile one from reaching another device's topics).
    static func level(_ serial: String) -> String {
        let cleaned = String(serial.map { c in c == "/" || c == "+" || c == "#" || c == "$" || c.isWhitespace ? "_" : c })
        return cleaned.isEmpty ? "_" : cleaned
    }
}
