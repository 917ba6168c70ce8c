import MWP
import MosquitoModel
import Recording

/// Device-layer facts, said the way a recording file says them.
enum RecordingAdapter {
    static func device(_ s: DeviceStream, certificate: (String, DeviceCalibration) -> String?) -> RecordedDevice {
        let id = s.identity
        return RecordedDevice(
            uri: s.uri,
            identity: id.unit,
            configuration: DeviceConfiguration(
                rateHz: s.pipeline.outputRate,
                channels: s.channels.map { id.channels[$0] }),
            pipeline: ["acquire \(s.rateHz) Hz"] + s.pipeline.description.stages.map(\.summary),
            decimation: s.pipeline.spec.decimationFactor,
            calibration: zip(s.channels, s.calibrations).map { c, cal in
                RecordedCalibration(
                    channel: id.channels[c].name, degree: Int(cal.degree), coefficients: cal.coefficients,
                    calibratedAt: Int64(cal.calibratedAt), technician: cal.technician,
                    certificateID: certificate(id.serial, cal))
            })
    }
}
