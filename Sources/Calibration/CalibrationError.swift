import Device
import MWP

/// Everything that can stop a calibration or a verification, phrased for the technician (one line each).
public enum CalibrationError: Error, Equatable, Sendable, CustomStringConvertible {
    case badInput(String)
    case fit(String)
    case device(DeviceError)
    case capture(String)
    /// SET_CALIBRATION was answered with a failure status.
    case writeRefused(channel: UInt8, Status)
    /// The device said OK but holds something else: flash or firmware is not trustworthy.
    case readBackMismatch(channel: UInt8, wrote: CalibrationRecord, readBack: CalibrationRecord)
    case history(String)
    case notAccepted(String)

    public var description: String {
        switch self {
        case .badInput(let why): why
        case .fit(let why): "fit failed: \(why)"
        case .device(let e): e.description
        case .capture(let why): "capture failed: \(why)"
        case .writeRefused(let ch, let status):
            "the device refused to store the calibration for channel \(ch) (\(status)); its previous calibration is unchanged"
        case .readBackMismatch(let ch, let wrote, let got):
            "read-back mismatch on channel \(ch): wrote \(Self.brief(wrote)), device holds \(Self.brief(got)); do not ship this unit"
        case .history(let why): "calibration history: \(why)"
        case .notAccepted(let why): "calibration not accepted: \(why)"
        }
    }

    static func brief(_ r: CalibrationRecord) -> String {
        "degree \(r.degree) [" + r.coefficients.map { "\($0)" }.joined(separator: ", ") + "] at \(r.calibratedAt) by '\(r.technician)'"
    }
}
