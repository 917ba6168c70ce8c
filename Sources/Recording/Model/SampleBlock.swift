/// A run of consecutive samples from one device, as appended to a recording.
///
/// `raw` and `values` are row-major: sample `i`, channel `c` is at `i * channelCount + c`.
public struct SampleBlock: Sendable, Equatable {
    public let channelCount: Int
    public let index: [UInt64]
    public let deviceTimeUs: [UInt64]
    public let hostTimeNs: [Int64]
    public let raw: [Int32]
    public let values: [Double]

    public var sampleCount: Int { index.count }

    /// Fails when the columns disagree in length, so a malformed block never reaches a file.
    public init(channelCount: Int, index: [UInt64], deviceTimeUs: [UInt64], hostTimeNs: [Int64],
                raw: [Int32], values: [Double]) throws(RecordingError) {
        let samples = index.count
        guard channelCount > 0, deviceTimeUs.count == samples, hostTimeNs.count == samples,
              raw.count == samples * channelCount, values.count == samples * channelCount else {
            throw .invalidInput(
                "sample block columns disagree: \(samples) indices, \(deviceTimeUs.count) device times, "
                + "\(hostTimeNs.count) host times, \(raw.count) raw and \(values.count) values for \(channelCount) channels")
        }
        self.channelCount = channelCount
        self.index = index
        self.deviceTimeUs = deviceTimeUs
        self.hostTimeNs = hostTimeNs
        self.raw = raw
        self.values = values
    }
}
