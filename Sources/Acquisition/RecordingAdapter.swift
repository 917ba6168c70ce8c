import MWP
import Recording

/// Device-layer facts, said the way a recording file says them.
enum RecordingAdapter {
    static func device(_ s: DeviceStream, certificate: (String, DeviceCalibration) -> String?) -> RecordedDevice {
        let id = s.identity
        return RecordedDevice(
            uri: s.uri,
            identity: DeviceIdentity(
                serial: id.serial, design: id.design, hardwareRevision: "\(id.hardwareRevision)",
                firmwareVersion: id.firmware.description),
            configuration: DeviceConfiguration(
                rateHz: s.pipeline.outputRate,
                channels: s.channels.map { c in
                    let ch = id.channels[c]
                    return ChannelDescription(
                        name: ch.name, kind: ch.kind.description, unit: ch.unit, adcBits: Int(ch.adcBits),
                        rawMin: ch.rawMin, rawMax: ch.rawMax)
                }),
            pipeline: ["acquire \(s.rateHz) Hz"] + s.pipeline.description.stages.map(\.summary),
            calibration: zip(s.channels, s.calibrations).map { c, cal in
                Recording.CalibrationRecord(
                    channel: id.channels[c].name, degree: Int(cal.degree), coefficients: cal.coefficients,
                    calibratedAt: Int64(cal.calibratedAt), technician: cal.technician,
                    certificateID: certificate(id.serial, cal))
            })
    }
}
