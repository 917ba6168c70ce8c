import MWP
import MosquitoModel
import Recording

/// What a recorded device group says, restated as the firmware would say it: the identity HELLO answers,
/// the calibration GET_CALIBRATION answers, and the one rate CONFIGURE accepts.
///
/// The replayed instrument has exactly the recorded channels, numbered from 0 in recorded order.
struct ReplayDevice: Sendable, Equatable {
    var identity: IdentityRecord
    var calibrations: [CalibrationRecord]
    var rateHz: UInt32

    init(_ device: RecordedDevice) throws(ReplayError) {
        let configuration = device.configuration
        // Decimated recordings keep every Nth source row: replaying them would look like constant loss.
        switch device.decimation {
        case 1?: break
        case let factor?: throw .unsupported("its values were decimated by \(factor); only undecimated recordings replay")
        case nil:
            if let step = Self.legacyDecimationStep(device.pipeline) {
                throw .unsupported("its values were decimated (\(step)); only undecimated recordings replay")
            }
        }
        guard configuration.rateHz >= 1, configuration.rateHz == configuration.rateHz.rounded(),
              configuration.rateHz <= Double(UInt32.max) else {
            throw .unsupported("its rate \(configuration.rateHz) Hz is not a whole number of hertz")
        }
        rateHz = UInt32(configuration.rateHz)
        identity = IdentityRecord(unit: device.identity, maxRateHz: rateHz, channels: configuration.channels)
        do throws(MessageError) { try identity.validate() } catch {
            throw .unsupported("its identity cannot be sent over MWP/1: \(error)")
        }
        calibrations = configuration.channels.enumerated().map { position, channel in
            let number = UInt8(position)
            guard let record = device.calibration.first(where: { $0.channel == channel.name }) else {
                return CalibrationRecord.identity(channel: number)
            }
            return CalibrationRecord(
                channel: number, degree: UInt8(clamping: record.degree), coefficients: record.coefficients,
                calibratedAt: UInt64(clamping: record.calibratedAt), technician: record.technician)
        }
        for record in calibrations {
            do throws(MessageError) { try record.validate() } catch {
                throw .unsupported("channel \(record.channel) calibration cannot be sent over MWP/1: \(error)")
            }
        }
    }
}

extension ReplayDevice {
    /// The decimation step of a file written before recordings carried a typed `decimation` attribute: then the
    /// pipeline's human-readable summaries (`"decimate by 10 (…)"`, or older `"decimate 10"`) are the only record
    /// of it. Never consulted for a file that has the attribute.
    static func legacyDecimationStep(_ pipeline: [String]) -> String? {
        pipeline.first { $0.hasPrefix("decimate") }
    }
}

/// Why a recording cannot be played back.
public enum ReplayError: Error, Equatable, Sendable, CustomStringConvertible {
    case recording(RecordingError)
    case noSuchDevice(path: String, serial: String, available: [String])
    case unsupported(String)

    public var description: String {
        switch self {
        case .recording(let e): e.description
        case let .noSuchDevice(path, serial, available):
            "no device \(serial) in \(path) (devices: \(available.joined(separator: ", ")))"
        case .unsupported(let why): "cannot replay this recording: \(why)"
        }
    }
}
