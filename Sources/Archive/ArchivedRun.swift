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
    /// The edge's own recording of this run, for back-fill.
    var source: EdgeSource?
    /// `source` is known to be this run's stream: named before the run's first data, or seen to hold a row the
    /// run has. Else the edge is asked for such a row before any of its rows fill the run.
    var sourceConfirmed = false
    /// Its edge's status says the recording is over: the run ends when its data has gone quiet.
    var edgeFinished = false
    /// When data last arrived for this run.
    private(set) var lastData = Date()
    /// Opened before its edge's status arrived: the first status says where its recording is.
    var awaitingStatus = false
    /// What a restarted archive needs to continue this run (written beside the file while it is open).
    var marker: RunMarker

    /// A message of a new stream of the same device (a hub that started or stopped recording): a new run.
    func isNewStream(_ message: DataMessage) -> Bool {
        guard let last = lastSequence, let first = message.indices.first else { return false }
        return message.sequence > last && first < nextIndex
    }

    /// `startIndex`: the first index this file is to hold (a continuation holds the rest of a run).
    init(
        path: String, meta: DeviceMeta, metaID: [UInt8], uri: String, commandLine: [String], softwareVersion: String,
        startIndex: UInt64 = 0, startTime: Date = Date()
    ) throws(RecordingError) {
        self.path = path
        nextIndex = startIndex
        marker = RunMarker(firstPath: path, path: path, part: 1, metaID: "", source: nil)
        self.metaID = metaID
        polynomials = meta.polynomials
        let device = RecordedDevice(
            uri: uri,
            identity: try Self.unit(meta),
            configuration: DeviceConfiguration(
                rateHz: Double(meta.rateHz), channels: meta.channels),
            pipeline: Self.pipeline(meta),
            decimation: 1,
            calibration: meta.calibration.map {
                RecordedCalibration(
                    channel: $0.channel, degree: $0.degree, coefficients: $0.coefficients,
                    calibratedAt: Int64(clamping: $0.calibratedAt), technician: $0.technician, certificateID: $0.certificateId)
            })
        let header = RecordingHeader(
            softwareVersion: softwareVersion, host: meta.host, startTime: startTime, commandLine: commandLine, devices: [device])
        sink = try openRecordingSink(path: path, header: header)
        do throws(RecordingError) { try recordEdgePipeline(meta, at: startIndex) } catch {
            try? sink.close(stopTime: Date())
            throw error
        }
    }

    /// What this file's rows went through. `data` carries the counts before the edge's pipeline (docs/mqtt.md):
    /// every sample at the device's rate is a row here, its value the meta's calibration of its counts, whatever
    /// filters or decimation the edge's own recording applied.
    static func pipeline(_ meta: DeviceMeta) -> [String] { ["acquire \(meta.rateHz) Hz"] }

    /// The edge's own recording pipeline, when it did more than this file's: provenance of where the stream came
    /// from, never a claim about these rows. One `edge_pipeline` event per step, in order, on the file's first
    /// sample (Recording keeps a file's provenance in its events, as an `export` slice names its source).
    private func recordEdgePipeline(_ meta: DeviceMeta, at index: UInt64) throws(RecordingError) {
        guard meta.pipeline != Self.pipeline(meta) else { return }
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        for step in meta.pipeline {
            try sink.record(RecordingEvent(sampleIndex: index, hostTimeNs: now, kind: "edge_pipeline", detail: step), device: 0)
        }
    }

    /// The unit a meta message names; firmware that no instrument could have sent is refused (a revision past
    /// 16 bits already was, when the meta was decoded).
    private static func unit(_ meta: DeviceMeta) throws(RecordingError) -> UnitIdentity {
        guard let firmware = FirmwareVersion(meta.firmware) else {
            throw .invalidInput("meta names firmware '\(meta.firmware)'")
        }
        return UnitIdentity(serial: meta.serial, design: meta.design, hardwareRevision: meta.hardwareRevision, firmware: firmware)
    }

    /// The last row written: what the edge's recording must hold before its rows may extend this run.
    private(set) var lastRow: StreamAnchor?

    /// Samples written from the edge's own file rather than from the broker.
    private(set) var backfilled: UInt64 = 0

    /// Writes the frames of `message` past what the file holds. An index jump is first offered to `fill` (the
    /// edge's rows for the missing range, docs/mqtt.md "Back-fill"); what it does not bring is a `network` gap.
    /// `backfilled`: `message` is the edge's own rows, counted as such.
    func append(_ message: DataMessage, fill: ((Range<UInt64>, StreamAnchor) -> [DataMessage])? = nil, backfilled fromEdge: Bool = false) throws(RecordingError) {
        let before = samples
        lastData = Date()
        defer { if fromEdge { backfilled += samples - before } }
        let c = message.channelCount
        guard c == polynomials.count else { throw .invalidInput("data has \(c) channels; its meta names \(polynomials.count)") }
        var rows = Rows()
        for k in message.indices.indices {
            let i = message.indices[k]
            guard i >= nextIndex else {
                duplicates += 1
                continue
            }
            if i > nextIndex, let fill {
                try write(&rows, channels: c)
                let revealing = StreamAnchor(index: i, deviceTimeUs: message.deviceTimesNs[k] / 1000)
                for edge in fill(nextIndex ..< i, revealing) { try append(edge.clipped(below: i), backfilled: true) }
            }
            if i > nextIndex {
                try write(&rows, channels: c)
                try sink.record(Gap(firstMissingIndex: nextIndex, count: i - nextIndex, cause: .network), device: 0)
                gapCount += 1
            }
            rows.add(message, frame: k, polynomials: polynomials)
            nextIndex = i + 1
        }
        lastSequence = max(lastSequence ?? 0, message.sequence)
        try write(&rows, channels: c)
    }

    private func write(_ rows: inout Rows, channels c: Int) throws(RecordingError) {
        guard !rows.index.isEmpty else { return }
        try sink.append(
            try SampleBlock(channelCount: c, index: rows.index, deviceTimeUs: rows.deviceUs, hostTimeNs: rows.host, raw: rows.raw, values: rows.values),
            device: 0)
        samples += UInt64(rows.index.count)
        if let i = rows.index.last, let t = rows.deviceUs.last { lastRow = StreamAnchor(index: i, deviceTimeUs: t) }
        rows = Rows()
    }

    /// Frames gathered for one append to the file.
    private struct Rows {
        var index: [UInt64] = [], deviceUs: [UInt64] = [], host: [Int64] = [], raw: [Int32] = [], values: [Double] = []

        mutating func add(_ m: DataMessage, frame k: Int, polynomials: [CalibrationPolynomial]) {
            let c = m.channelCount
            index.append(m.indices[k])
            deviceUs.append(m.deviceTimesNs[k] / 1000)
            host.append(m.hostTimesNs[k])
            for ch in 0..<c {
                let r = m.raw[k * c + ch]
                raw.append(r)
                values.append(polynomials[ch].value(raw: r))
            }
        }
    }

    /// An edge's event (reconnect, its own gaps, recording start/stop) into the file's events table.
    func record(event kind: String, detail: String, hostTimeNs: Int64) throws(RecordingError) {
        try sink.record(RecordingEvent(sampleIndex: nextIndex, hostTimeNs: hostTimeNs, kind: kind, detail: detail), device: 0)
    }

    func flushIfDue() throws(RecordingError) { try sink.flushIfDue(now: .now) }

    func close() throws(RecordingError) { try sink.close(stopTime: Date()) }
}

extension DataMessage {
    /// The frames below `end` only: the edge's rows never reach past the frame that revealed the gap.
    func clipped(below end: UInt64) -> DataMessage {
        guard let cut = indices.firstIndex(where: { $0 >= end }) else { return self }
        var m = self
        m.indices = Array(indices[..<cut])
        m.deviceTimesNs = Array(deviceTimesNs[..<cut])
        m.hostTimesNs = Array(hostTimesNs[..<cut])
        m.raw = Array(raw[..<(cut * channelCount)])
        return m
    }
}
