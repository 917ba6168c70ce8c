/// Which unit an instrument is: what the wire's identity record, a recording's device group, an MQTT meta
/// message and a calibration certificate all name. Typed once: a hardware revision is a number everywhere but
/// in the text of a file or a JSON document.
public struct UnitIdentity: Sendable, Hashable {
    public var serial: String
    public var design: String
    public var hardwareRevision: UInt16
    public var firmware: FirmwareVersion

    public init(serial: String, design: String, hardwareRevision: UInt16, firmware: FirmwareVersion) {
        self.serial = serial
        self.design = design
        self.hardwareRevision = hardwareRevision
        self.firmware = firmware
    }
}

/// JSON in a recording's spelling (`inspect --json`; the Python package reads the same values from the file's
/// attributes): the revision and firmware as the file's text.
extension UnitIdentity: Codable {
    private enum CodingKeys: String, CodingKey { case serial, design, hardwareRevision, firmwareVersion }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let revision = try c.decode(String.self, forKey: .hardwareRevision)
        let firmware = try c.decode(String.self, forKey: .firmwareVersion)
        guard let number = UInt16(revision) else {
            throw DecodingError.dataCorruptedError(forKey: .hardwareRevision, in: c, debugDescription: "not a number: \(revision)")
        }
        guard let version = FirmwareVersion(firmware) else {
            throw DecodingError.dataCorruptedError(forKey: .firmwareVersion, in: c, debugDescription: "not MAJOR.MINOR.PATCH: \(firmware)")
        }
        self.init(serial: try c.decode(String.self, forKey: .serial), design: try c.decode(String.self, forKey: .design),
                  hardwareRevision: number, firmware: version)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(serial, forKey: .serial)
        try c.encode(design, forKey: .design)
        try c.encode(String(hardwareRevision), forKey: .hardwareRevision)
        try c.encode(firmware.description, forKey: .firmwareVersion)
    }
}
