import MosquitoModel

/// What `mosquito inspect` shows (and prints as JSON with `--json`).
public struct RecordingSummary: Sendable, Codable, Equatable {
    public var path: String
    public var metadata: RecordingMetadata
    /// False when there is no stop time: the recorder was killed or stopped by an error.
    public var closedCleanly: Bool
    public var devices: [DeviceContents]

    /// What the file holds of one device.
    public struct DeviceContents: Sendable, Codable, Equatable {
        public var group: String
        public var device: RecordedDevice
        public var sampleCount: UInt64
        public var firstIndex: UInt64?
        public var lastIndex: UInt64?
        /// From the first to the last sample's device time.
        public var durationSeconds: Double
        public var gapCount: Int
        public var missingSamples: UInt64
        /// Missing samples per cause (`transport_gap`, `crc_error`, …).
        public var missingByCause: [String: UInt64]
        public var eventCount: Int
        public var clock: ClockQuality
    }

    public struct ClockQuality: Sendable, Codable, Equatable {
        public var exchanges: Int
        public var roundTripMinNs: Int64?
        public var roundTripMedianNs: Int64?
        public var roundTripMaxNs: Int64?
        /// Device clock rate relative to the host clock, in parts per million (least-squares fit of device
        /// time against the midpoint of each exchange); nil with fewer than two exchanges or when they span less
        /// than a second (a microsecond clock over a few milliseconds says nothing about drift).
        public var driftPPM: Double?

        /// `inspect --json`'s names (recording.html and the Python package read them).
        enum CodingKeys: String, CodingKey {
            case exchanges, driftPPM
            case roundTripMinNs = "roundTripMinNanos", roundTripMedianNs = "roundTripMedianNanos"
            case roundTripMaxNs = "roundTripMaxNanos"
        }

        init(_ exchanges: [ClockExchange]) {
            self.exchanges = exchanges.count
            let trips = exchanges.map(\.roundTripNs).sorted()
            roundTripMinNs = trips.first
            roundTripMaxNs = trips.last
            roundTripMedianNs = trips.isEmpty ? nil : trips[trips.count / 2]
            driftPPM = Self.drift(exchanges)
        }

        private static func drift(_ exchanges: [ClockExchange]) -> Double? {
            guard exchanges.count >= 2, let first = exchanges.first else { return nil }
            let base = Double(first.hostSendNs)
            let hostSeconds = exchanges.map { (Double($0.hostSendNs) - base + Double($0.roundTripNs) / 2) / 1e9 }
            let deviceSeconds = exchanges.map { Double($0.deviceTimeUs) / 1e6 }
            let meanHost = hostSeconds.reduce(0, +) / Double(hostSeconds.count)
            let meanDevice = deviceSeconds.reduce(0, +) / Double(deviceSeconds.count)
            var covariance = 0.0, variance = 0.0
            for (host, device) in zip(hostSeconds, deviceSeconds) {
                covariance += (host - meanHost) * (device - meanDevice)
                variance += (host - meanHost) * (host - meanHost)
            }
            guard variance > 0, let span = hostSeconds.last, span >= 1 else { return nil }
            return (covariance / variance - 1) * 1e6
        }
    }

    /// Reads only metadata, the small tables and the first and last rows: cheap on any file size.
    public init(reading reader: HDF5RecordingReader) throws(RecordingError) {
        path = reader.path
        metadata = reader.metadata
        closedCleanly = reader.metadata.stopTime != nil
        var summaries: [DeviceContents] = []
        for (position, entry) in reader.devices.enumerated() {
            let count = try reader.sampleCount(device: position)
            let first = count > 0 ? try reader.readSamples(device: position, rows: 0 ..< 1) : nil
            let last = count > 0 ? try reader.readSamples(device: position, rows: count - 1 ..< count) : nil
            let gaps = try reader.gaps(device: position)
            var byCause: [String: UInt64] = [:]
            // A crafted file's gap counts can sum past 2^64 - 1: the summary says "at least" rather than trap.
            for gap in gaps { byCause[gap.cause.rawValue, default: 0] = byCause[gap.cause.rawValue, default: 0].addingSaturating(gap.count) }
            let firstTime = first?.deviceTimeUs.first ?? 0, lastTime = last?.deviceTimeUs.first ?? 0
            summaries.append(DeviceContents(
                group: entry.group, device: entry.device, sampleCount: count,
                firstIndex: first?.index.first, lastIndex: last?.index.first,
                durationSeconds: lastTime >= firstTime ? Double(lastTime - firstTime) / 1e6 : 0,
                gapCount: gaps.count, missingSamples: gaps.reduce(0) { $0.addingSaturating($1.count) }, missingByCause: byCause,
                eventCount: try reader.events(device: position).count,
                clock: ClockQuality(try reader.clockExchanges(device: position))))
        }
        devices = summaries
    }
}
