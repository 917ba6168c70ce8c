/// What a channel measures. The number is what MWP/1's identity record carries; the name is how every file,
/// JSON document and stream description spells it, and `init?(name:)` reads it back.
public enum ChannelKind: UInt8, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case voltage = 0
    case force = 1
    case displacement = 2
    case temperature = 3
    case opticalPower = 4
    case pressure = 5
    case acceleration = 6
    case other = 255

    public var name: String {
        switch self {
        case .voltage: "voltage"
        case .force: "force"
        case .displacement: "displacement"
        case .temperature: "temperature"
        case .opticalPower: "optical_power"
        case .pressure: "pressure"
        case .acceleration: "acceleration"
        case .other: "other"
        }
    }

    public init?(name: String) {
        guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }

    public var description: String { name }
}
