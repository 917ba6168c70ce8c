/// A design revision, e.g. "MQ-FORCE rev 2", with the revision it derives from.
public struct Design: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var parent: String?

    public init(id: String, name: String, parent: String?) {
        self.id = id; self.name = name; self.parent = parent
    }
}

/// A built instrument: the serial and design its identity record (MWP/1) reports.
public struct Unit: Sendable, Hashable, Codable {
    public var serial: String
    public var design: String

    public init(serial: String, design: String) {
        self.serial = serial; self.design = design
    }
}
