/// What a channel measures. The number is what MWP/1's identity record carries; the name is how every file,
/// JSON document and stream description spells it. A file may name a kind this version does not know: it is
/// kept as written, and the wire, which has no number for it, carries it as `other`.
public enum ChannelKind: Sendable, Hashable, CustomStringConvertible {
    case voltage, force, displacement, temperature, opticalPower, pressure, acceleration, other
    /// A name this version does not know, as a file wrote it.
    case unknown(String)

    /// Every kind the wire numbers, with its number and name: the one table both spellings are read from.
    private static let numbered: [(kind: ChannelKind, code: UInt8, name: String)] = [
        (.voltage, 0, "voltage"), (.force, 1, "force"), (.displacement, 2, "displacement"),
        (.temperature, 3, "temperature"), (.opticalPower, 4, "optical_power"), (.pressure, 5, "pressure"),
        (.acceleration, 6, "acceleration"), (.other, 255, "other"),
    ]

    /// The kind MWP/1 numbers `code`; nil for a number it does not define.
    public init?(code: UInt8) {
        guard let entry = Self.numbered.first(where: { $0.code == code }) else { return nil }
        self = entry.kind
    }

    /// The kind `name` spells; a name this version does not know is kept as written.
    public init(name: String) {
        self = Self.numbered.first(where: { $0.name == name })?.kind ?? .unknown(name)
    }

    /// MWP/1's number for it: a kind the wire does not number goes as `other`.
    public var code: UInt8 { Self.numbered.first(where: { $0.kind == self })?.code ?? 255 }

    public var name: String {
        if case .unknown(let name) = self { return name }
        return Self.numbered.first(where: { $0.kind == self })?.name ?? "other"
    }

    public var description: String { name }
}
