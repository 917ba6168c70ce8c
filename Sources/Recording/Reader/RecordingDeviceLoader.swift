import CHDF5
import MosquitoModel

/// Rebuilds the `RecordedDevice` values of a recording from its device groups.
enum RecordingDeviceLoader {
    static func load(file: hid_t) throws -> [RecordingDeviceEntry] {
        let devicesGroup = try HDF5Group(opening: RecordingLayout.devicesGroup, in: file)
        let names = try HDF5Attribute.exists(RecordingLayout.Root.deviceGroups, on: file)
            ? try HDF5Attribute.readStrings(RecordingLayout.Root.deviceGroups, on: file)
            : try devicesGroup.memberNames()
        var entries: [RecordingDeviceEntry] = []
        for name in names {
            let group = try HDF5Group(opening: name, in: devicesGroup.id)
            entries.append(RecordingDeviceEntry(group: name, device: try device(in: group.id)))
        }
        return entries
    }

    private static func device(in group: hid_t) throws -> RecordedDevice {
        typealias D = RecordingLayout.Device
        let names = try HDF5Attribute.readStrings(D.channelNames, on: group)
        let kinds = try HDF5Attribute.readStrings(D.channelKinds, on: group)
        let units = try HDF5Attribute.readStrings(D.channelUnits, on: group)
        let bits = try HDF5Attribute.readInt64s(D.channelADCBits, on: group)
        let rawMin = try HDF5Attribute.readInt64s(D.channelRawMin, on: group)
        let rawMax = try HDF5Attribute.readInt64s(D.channelRawMax, on: group)
        let count = names.count
        guard [kinds.count, units.count, bits.count, rawMin.count, rawMax.count].allSatisfy({ $0 == count }) else {
            throw RecordingError.invalidInput("channel attributes disagree in length")
        }
        let channels = (0..<count).map {
            ChannelDescriptor(kind: ChannelKind(name: kinds[$0]), adcBits: Int(bits[$0]), unit: units[$0], name: names[$0],
                              rawMin: Int32(clamping: rawMin[$0]), rawMax: Int32(clamping: rawMax[$0]))
        }
        return RecordedDevice(
            uri: try HDF5Attribute.readString(D.uri, on: group),
            identity: try identity(in: group),
            configuration: DeviceConfiguration(rateHz: try HDF5Attribute.readDouble(D.rateHz, on: group), channels: channels),
            pipeline: try HDF5Attribute.readStrings(D.pipeline, on: group),
            decimation: try decimation(in: group),
            calibration: try calibration(in: group))
    }

    /// `nil` for a file written before the attribute existed; a factor below 1 describes no recording.
    private static func decimation(in group: hid_t) throws -> Int? {
        typealias D = RecordingLayout.Device
        guard try HDF5Attribute.exists(D.decimation, on: group) else { return nil }
        guard let factor = try HDF5Attribute.readInt64s(D.decimation, on: group).first, factor >= 1 else {
            throw RecordingError.invalidInput("decimation is not a factor of at least 1")
        }
        return Int(factor)
    }

    /// The file keeps the revision and firmware as text; a unit's are numbers, so other text is not a recording.
    private static func identity(in group: hid_t) throws -> UnitIdentity {
        typealias D = RecordingLayout.Device
        let revision = try HDF5Attribute.readString(D.hardwareRevision, on: group)
        let firmware = try HDF5Attribute.readString(D.firmwareVersion, on: group)
        guard let number = UInt16(revision) else {
            throw RecordingError.invalidInput("hardware revision '\(revision)' is not a number")
        }
        guard let version = FirmwareVersion(firmware) else {
            throw RecordingError.invalidInput("firmware version '\(firmware)' is not MAJOR.MINOR.PATCH")
        }
        return UnitIdentity(
            serial: try HDF5Attribute.readString(D.serial, on: group), design: try HDF5Attribute.readString(D.design, on: group),
            hardwareRevision: number, firmware: version)
    }

    private static func calibration(in device: hid_t) throws -> [RecordedCalibration] {
        typealias C = RecordingLayout.Calibration
        let group = try HDF5Group(opening: C.group, in: device)
        let channels = try strings(C.channel, in: group.id)
        let degree: [Int64] = try numbers(C.degree, in: group.id, zero: 0, type: .nativeInt64())
        let coefficients: [Double] = try numbers(C.coefficients, in: group.id, zero: 0, type: .nativeDouble())
        let calibratedAt: [Int64] = try numbers(C.calibratedAtUnix, in: group.id, zero: 0, type: .nativeInt64())
        let technician = try strings(C.technician, in: group.id)
        let certificate = try strings(C.certificateID, in: group.id)
        guard degree.count == channels.count, coefficients.count == 4 * channels.count,
              calibratedAt.count == channels.count, technician.count == channels.count,
              certificate.count == channels.count else {
            throw RecordingError.invalidInput("calibration columns disagree in length")
        }
        return channels.indices.map {
            RecordedCalibration(channel: channels[$0], degree: Int(degree[$0]),
                              coefficients: Array(coefficients[4 * $0 ..< 4 * $0 + 4]), calibratedAt: calibratedAt[$0],
                              technician: technician[$0], certificateID: certificate[$0].isEmpty ? nil : certificate[$0])
        }
    }

    private static func strings(_ name: String, in group: hid_t) throws(HDF5Error) -> [String] {
        let dataset = try HDF5Dataset(opening: name, in: group)
        let count = try dataset.dimensions().first ?? 0
        let type = try HDF5Datatype.variableString()
        return try VariableStrings.read(count: Int(count)) { (buffer) throws(HDF5Error) in
            try dataset.readAll(into: buffer, memoryType: type)
        }
    }

    private static func numbers<Number>(_ name: String, in group: hid_t, zero: Number,
                                        type: consuming HDF5Datatype) throws(HDF5Error) -> [Number] {
        let dataset = try HDF5Dataset(opening: name, in: group)
        let count = try dataset.dimensions().reduce(1, *)
        var values = [Number](repeating: zero, count: Int(count))
        guard count > 0 else { return values }
        let outcome: Result<Void, HDF5Error> = values.withUnsafeMutableBytes { buffer in
            do throws(HDF5Error) { return .success(try dataset.readAll(into: buffer.baseAddress!, memoryType: type)) }
            catch { return .failure(error) }
        }
        try outcome.get()
        return values
    }
}
