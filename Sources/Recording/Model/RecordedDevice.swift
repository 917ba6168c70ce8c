import MosquitoModel

/// What a recording says about one instrument. Plain values here; the integration adapts the
/// Signal/Device types into them, so Recording depends on no transport or pipeline code.
public struct RecordedDevice: Sendable, Codable, Equatable {
    /// How the device was opened, e.g. `usb:MQ-0042` or `sim:`.
    public var uri: String
    public var identity: UnitIdentity
    public var configuration: DeviceConfiguration
    /// The processing applied before values were recorded, one human-readable step per entry
    /// (e.g. `"lowpass fc=1000Hz order=4"`, `"decimate 10"`). Empty when values are unfiltered.
    public var pipeline: [String]
    /// How many acquired samples each recorded row stands for: 1 when every sample is a row, N after `--decimate N`.
    /// `nil` when unknown: a file written before recordings said it (its `pipeline` prose is all there is).
    public var decimation: Int?
    /// The calibration in effect per channel; channels without one record raw-derived values as given.
    public var calibration: [RecordedCalibration]

    public init(uri: String, identity: UnitIdentity, configuration: DeviceConfiguration,
                pipeline: [String] = [], decimation: Int?, calibration: [RecordedCalibration] = []) {
        self.uri = uri
        self.identity = identity
        self.configuration = configuration
        self.pipeline = pipeline
        self.decimation = decimation
        self.calibration = calibration
    }
}

public struct DeviceConfiguration: Sendable, Codable, Equatable {
    /// Sample rate of the recorded stream (after any decimation), in Hz.
    public var rateHz: Double
    public var channels: [ChannelDescriptor]

    public init(rateHz: Double, channels: [ChannelDescriptor]) {
        self.rateHz = rateHz
        self.channels = channels
    }
}

/// One channel's calibration polynomial `value = c0 + c1·raw + c2·raw² + c3·raw³` (up to `degree`).
public struct RecordedCalibration: Sendable, Codable, Equatable {
    public var channel: String
    public var degree: Int
    /// Always four entries c0…c3; those above `degree` are zero.
    public var coefficients: [Double]
    /// When the calibration was made, Unix seconds (UTC).
    public var calibratedAt: Int64
    public var technician: String
    public var certificateID: String?

    public init(channel: String, degree: Int, coefficients: [Double], calibratedAt: Int64,
                technician: String, certificateID: String? = nil) {
        self.channel = channel
        self.degree = degree
        self.coefficients = (coefficients + [0, 0, 0, 0]).prefix(4).map { $0 }
        self.calibratedAt = calibratedAt
        self.technician = technician
        self.certificateID = certificateID
    }
}
