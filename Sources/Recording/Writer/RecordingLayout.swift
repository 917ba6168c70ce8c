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

    enum Gaps {
        static let group = "gaps", firstMissingIndex = "first_missing_index", count = "count", cause = "cause"
        static let causeBytes = 16
    }

    enum Events {
        static let group = "events", sampleIndex = "sample_index", hostTime = "host_time_ns"
        static let kind = "kind", detail = "detail"
        static let kindBytes = 32, detailBytes = 256
    }

    enum Clock {
        static let group = "clock", hostSend = "host_send_ns", hostReceive = "host_receive_ns"
        static let deviceTime = "device_time_us", roundTrip = "round_trip_ns"
    }

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
