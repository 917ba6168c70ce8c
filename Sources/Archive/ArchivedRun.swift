import Foundation
import MosquitoModel
import Publish
import Recording

/// One device's run as the archive writes it: an HDF5 file in `record`'s layout, fed from `data` messages in
/// arrival order. Each index is written once; what never arrived is a `network` gap.
final class ArchivedRun {
    let path: String
    let metaID: [UInt8]
    private let sink: any RecordingSink
    private let polynomials: [CalibrationPolynomial]
    private(set) var nextIndex: UInt64 = 0
    private(set) var samples: UInt64 = 0
    private(set) var gapCount: UInt64 = 0
    private(set) var duplicates: UInt64 = 0
    /// The newest message sequence written: a later message whose indices go back is a new stream, an older
    /// or equal one a redelivery.
    private(set) var lastSequence: UInt64?

    /// A message of a new stream of the same device (a hub that started or stopped recording): a new run.
    func isNewStream(_ message: DataMessage) -> Bool {
        guard let last = lastSequence, let first = message.indices.first else { return false }
        return message.sequence > last && first < nextIndex
    }

    init(path: String, meta: DeviceMeta, metaID: [UInt8], uri: String, commandLine: [String], softwareVersion: String) throws(RecordingError) {
        self.path = path
        self.metaID = metaID
        polynomials = meta.channels.map { ch in
            guard let cal = meta.calibration.first(where: { $0.channel == ch.name }), cal.coefficients.count == 4 else { return .identity }
            return CalibrationPolynomial(coefficients: cal.coefficients)
        }
        let device = RecordedDevice(
            uri: uri,
            identity: try Self.unit(meta),
            configuration: DeviceConfiguration(
                rateHz: Double(meta.rate_hz),
                channels: meta.channels.map {
                    ChannelDescription(name: $0.name, kind: $0.kind, unit: $0.unit, adcBits: $0.adc_bits, rawMin: $0.raw_min, rawMax: $0.raw_max)
                }),
            pipeline: meta.pipeline,
            calibration: meta.calibration.map {
                RecordedCalibration(
                    channel: $0.channel, degree: $0.degree, coefficients: $0.coefficients,
                    calibratedAt: Int64(clamping: $0.calibrated_at), technician: $0.technician, certificateID: $0.certificate_id)
            })
        let header = RecordingHeader(
            softwareVersion: softwareVersion, host: meta.host, startTime: Date(), commandLine: commandLine, devices: [device])
        sink = try openRecordingSink(path: path, header: header)
    }

    /// The unit a meta message names; a revision or firmware that no instrument could have sent is refused.
    private static func unit(_ meta: DeviceMeta) throws(RecordingError) -> UnitIdentity {
        guard let revision = UInt16(exactly: meta.hardware_revision), let firmware = FirmwareVersion(meta.firmware) else {
            throw .invalidInput("meta names hardware revision \(meta.hardware_revision), firmware '\(meta.firmware)'")
        }
        return UnitIdentity(serial: meta.serial, design: meta.design, hardwareRevision: revision, firmware: firmware)
    }

    /// Writes the frames of `message` past what the file holds; an index jump becomes a `network` gap.
    func append(_ message: DataMessage) throws(RecordingError) {
        let c = message.channelCount
        guard c == polynomials.count else { throw .invalidInput("data has \(c) channels; its meta names \(polynomials.count)") }
        var index: [UInt64] = [], deviceUs: [UInt64] = [], host: [Int64] = [], raw: [Int32] = [], values: [Double] = []
        for k in message.indices.indices {
            let i = message.indices[k]
            guard i >= nextIndex else {
                duplicates += 1
                continue
            }
            if i > nextIndex {
                try sink.record(Gap(firstMissingIndex: nextIndex, count: i - nextIndex, cause: .network), device: 0)
                gapCount += 1
            }
            index.append(i)
            deviceUs.append(message.deviceTimesNs[k] / 1000)
            host.append(message.hostTimesNs[k])
            for ch in 0..<c {
                let r = message.raw[k * c + ch]
                raw.append(r)
                values.append(polynomials[ch].value(raw: r))
            }
            nextIndex = i + 1
        }
        lastSequence = max(lastSequence ?? 0, message.sequence)
        guard !index.isEmpty else { return }
        try sink.append(
            try SampleBlock(channelCount: c, index: index, deviceTimeUs: deviceUs, hostTimeNs: host, raw: raw, values: values),
            device: 0)
        samples += UInt64(index.count)
    }

    /// An edge's event (reconnect, its own gaps, recording start/stop) into the file's events table.
    func record(event kind: String, detail: String, hostTimeNs: Int64) throws(RecordingError) {
        try sink.record(RecordingEvent(sampleIndex: nextIndex, hostTimeNs: hostTimeNs, kind: kind, detail: detail), device: 0)
    }

    func flushIfDue() throws(RecordingError) { try sink.flushIfDue(now: .now) }

    func close() throws(RecordingError) { try sink.close(stopTime: Date()) }
}
