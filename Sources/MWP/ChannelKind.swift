/// What a channel measures, as the identity record states it.
public enum ChannelKind: UInt8, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case voltage = 0
    case force = 1
    case displacement = 2
    case temperature = 3
    case opticalPower = 4
    case pressure = 5
    case acceleration = 6
    case other = 255

    public var description: String {
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
}
