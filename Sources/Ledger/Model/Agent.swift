/// A person or organization that contributes to or is paid by the network.
public struct Agent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case person, organization
        public init(from decoder: any Decoder) throws { self = try decodeChoice(decoder, "agent kind") }
    }
    public var id: String
    public var name: String
    public var kind: Kind

    public init(id: String, name: String, kind: Kind) {
        self.id = id; self.name = name; self.kind = kind
    }
}
