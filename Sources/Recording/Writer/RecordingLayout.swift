import MosquitoModel

/// Names in the HDF5 file, shared by writer and reader (documented in docs/recording-format.md).
enum RecordingLayout {
    static let formatName = "mosquito-recording"
    static let formatVersion: Int64 = 1
    static let devicesGroup = "devices"

    enum Root {
        static let format = "format", formatVersion = "format_version", softwareVersion = "software_version"
        static let host = "host", startTime = "start_time", stopTime = "stop_time"
        static let commandLine = "command_line", deviceURIs = "device_uris"
        /// Group names under `devices/`, in the order the devices were given (HDF5 lists groups by name).
        static let deviceGroups = "device_groups"
    }

    enum Device {
        static let uri = "uri", serial = "serial", design = "design", hardwareRevision = "hardware_revision"
        static let firmwareVersion = "firmware_version", rateHz = "rate_hz", pipeline = "pipeline"
        /// int64, the factor of `RecordedDevice.decimation`; absent in files written before it existed.
        static let decimation = "decimation"
        static let channelNames = "channel_names", channelKinds = "channel_kinds", channelUnits = "channel_units"
        static let channelADCBits = "channel_adc_bits", channelRawMin = "channel_raw_min"
        static let channelRawMax = "channel_raw_max"
    }

    enum Samples {
        static let raw = "raw", values = "values", index = "index"
        static let deviceTime = "device_time_us", hostTime = "host_time_ns"
    }

    enum Calibration {
        static let group = "calibration", channel = "channel", degree = "degree", coefficients = "coefficients"
        static let calibratedAtUnix = "calibrated_at_unix_s", calibratedAt = "calibrated_at"
        static let technician = "technician", certificateID = "certificate_id"
    }

    /// One row per run of missing samples.
    static let gaps = RecordingTable<Gap>(
        group: "gaps", blank: { Gap(firstMissingIndex: 0, count: 0, cause: .transportGap) },
        columns: [.uint64("first_missing_index", \.firstMissingIndex), .uint64("count", \.count),
                  .text("cause", bytes: 16, \.cause, unknown: .transportGap)])

    /// Status flags, markers, triggers and reconnects, at the sample index where they happened.
    static let events = RecordingTable<RecordingEvent>(
        group: "events", blank: { RecordingEvent(sampleIndex: 0, hostTimeNs: 0, kind: "", detail: "") },
        columns: [.uint64("sample_index", \.sampleIndex), .int64("host_time_ns", \.hostTimeNs),
                  .text("kind", bytes: 32, \.kind), .text("detail", bytes: 256, \.detail)])

    /// The clock ping exchanges, host times in UTC.
    static let clock = RecordingTable<ClockExchange>(
        group: "clock", blank: { ClockExchange(hostSendNs: 0, hostReceiveNs: 0, deviceTimeUs: 0, roundTripNs: 0) },
        columns: [.int64("host_send_ns", \.hostSendNs), .int64("host_receive_ns", \.hostReceiveNs),
                  .uint64("device_time_us", \.deviceTimeUs), .int64("round_trip_ns", \.roundTripNs)])

    /// Group name for a device: its serial with characters HDF5 paths cannot hold replaced,
    /// suffixed `-2`, `-3`, … when two devices share a serial.
    static func deviceGroupNames(_ devices: [RecordedDevice]) -> [String] {
        var used: Set<String> = []
        return devices.map { device in
            var base = String(device.identity.serial.map { $0 == "/" || $0 == "." ? "_" : $0 })
            if base.isEmpty { base = "device" }
            var name = base
            var suffix = 2
            while used.contains(name) {
                name = "\(base)-\(suffix)"
                suffix += 1
            }
            used.insert(name)
            return name
        }
    }
}
