import CHDF5
import MosquitoModel

/// Every object of one device's group, created before SWMR starts, plus the samples waiting to be written.
final class DeviceDatasets {
    let channelCount: Int
    let plan: ChunkPlan
    private let group: HDF5Group
    private var raw, values, index, deviceTime, hostTime: AppendableColumn
    private let gaps: AppendableTable<Gap>
    private let events: AppendableTable<RecordingEvent>
    private let clock: AppendableTable<ClockExchange>
    private var pending = PendingSamples()

    var sampleRows: UInt64 { index.rows + UInt64(pending.index.count) }

    init(_ device: RecordedDevice, groupPath: String, in file: hid_t, deflateLevel: UInt32?) throws(HDF5Error) {
        let channels = device.configuration.channels
        channelCount = channels.count
        let plan = ChunkPlan(rateHz: device.configuration.rateHz, channelCount: channels.count)
        self.plan = plan
        group = try HDF5Group(creating: groupPath, in: file)
        try Self.writeAttributes(of: device, on: group.id)

        let g = group.id
        let width = UInt64(channels.count)
        func samples(_ name: String, wide: Bool = false) -> AppendableColumn.Spec {
            .init(name: name, rowWidth: wide ? width : nil, elementsPerRow: wide ? channels.count : 1,
                  chunkRows: plan.sampleChunkRows, deflateLevel: deflateLevel)
        }
        raw = try AppendableColumn(samples(RecordingLayout.Samples.raw, wide: true), in: g, type: .nativeInt32())
        values = try AppendableColumn(samples(RecordingLayout.Samples.values, wide: true), in: g, type: .nativeDouble())
        index = try AppendableColumn(samples(RecordingLayout.Samples.index), in: g, type: .nativeUInt64())
        deviceTime = try AppendableColumn(samples(RecordingLayout.Samples.deviceTime), in: g, type: .nativeUInt64())
        hostTime = try AppendableColumn(samples(RecordingLayout.Samples.hostTime), in: g, type: .nativeInt64())
        for dataset in [RecordingLayout.Samples.raw, RecordingLayout.Samples.values] {
            let opened = try HDF5Dataset(opening: dataset, in: g)
            try HDF5Attribute.write(RecordingLayout.Device.channelNames, strings: channels.map(\.name), on: opened.id)
            try HDF5Attribute.write(RecordingLayout.Device.channelUnits, strings: channels.map(\.unit), on: opened.id)
            try HDF5Attribute.write(RecordingLayout.Device.channelKinds, strings: channels.map(\.kind.name), on: opened.id)
        }

        try CalibrationTable.write(device.calibration, groupPath: "\(groupPath)/\(RecordingLayout.Calibration.group)",
                                   in: file)

        gaps = try AppendableTable(RecordingLayout.gaps, in: g, deflateLevel: deflateLevel)
        events = try AppendableTable(RecordingLayout.events, in: g, deflateLevel: deflateLevel)
        clock = try AppendableTable(RecordingLayout.clock, in: g, deflateLevel: deflateLevel)
    }

    private static func writeAttributes(of device: RecordedDevice, on group: hid_t) throws(HDF5Error) {
        typealias D = RecordingLayout.Device
        let channels = device.configuration.channels
        try HDF5Attribute.write(D.uri, string: device.uri, on: group)
        try HDF5Attribute.write(D.serial, string: device.identity.serial, on: group)
        try HDF5Attribute.write(D.design, string: device.identity.design, on: group)
        try HDF5Attribute.write(D.hardwareRevision, string: String(device.identity.hardwareRevision), on: group)
        try HDF5Attribute.write(D.firmwareVersion, string: device.identity.firmware.description, on: group)
        try HDF5Attribute.write(D.rateHz, double: device.configuration.rateHz, on: group)
        try HDF5Attribute.write(D.pipeline, strings: device.pipeline, on: group)
        // Unknown stays unknown: a legacy file's device, exported or copied, gains no claim it never made.
        if let decimation = device.decimation { try HDF5Attribute.write(D.decimation, int64: Int64(decimation), on: group) }
        try HDF5Attribute.write(D.channelNames, strings: channels.map(\.name), on: group)
        try HDF5Attribute.write(D.channelKinds, strings: channels.map(\.kind.name), on: group)
        try HDF5Attribute.write(D.channelUnits, strings: channels.map(\.unit), on: group)
        try HDF5Attribute.write(D.channelADCBits, int64s: channels.map { Int64($0.adcBits) }, on: group)
        try HDF5Attribute.write(D.channelRawMin, int64s: channels.map { Int64($0.rawMin) }, on: group)
        try HDF5Attribute.write(D.channelRawMax, int64s: channels.map { Int64($0.rawMax) }, on: group)
    }

    /// Buffers the block; writes to HDF5 once a chunk's worth is waiting, so writes are chunk-sized.
    func append(_ block: SampleBlock) throws(HDF5Error) {
        pending.add(block)
        if UInt64(pending.index.count) >= plan.sampleChunkRows { try writePending() }
    }

    func writePending() throws(HDF5Error) {
        guard !pending.index.isEmpty else { return }
        try raw.append(pending.raw)
        try values.append(pending.values)
        try deviceTime.append(pending.deviceTime)
        try hostTime.append(pending.hostTime)
        // `index` last: its length is what readers take as the number of complete rows.
        try index.append(pending.index)
        pending.removeAll()
    }

    func record(_ gap: Gap) throws(HDF5Error) { try gaps.append(gap) }
    func record(_ event: RecordingEvent) throws(HDF5Error) { try events.append(event) }
    func record(_ exchange: ClockExchange) throws(HDF5Error) { try clock.append(exchange) }
}

/// Samples accepted but not yet handed to HDF5; at most about one chunk (≈ 1 s) per device.
struct PendingSamples {
    var index: [UInt64] = []
    var deviceTime: [UInt64] = []
    var hostTime: [Int64] = []
    var raw: [Int32] = []
    var values: [Double] = []

    mutating func add(_ block: SampleBlock) {
        index += block.index
        deviceTime += block.deviceTimeUs
        hostTime += block.hostTimeNs
        raw += block.raw
        values += block.values
    }

    mutating func removeAll() {
        index.removeAll(keepingCapacity: true)
        deviceTime.removeAll(keepingCapacity: true)
        hostTime.removeAll(keepingCapacity: true)
        raw.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }
}
