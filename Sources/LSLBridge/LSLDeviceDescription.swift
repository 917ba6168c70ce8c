import Foundation
import LSL
import MWP
import Signal

/// The three stream descriptions of one device: calibrated values, raw counts, Markers. The values stream's
/// `desc` says where its numbers came from (channels, instrument, calibration, pipeline, software, clock), and
/// lands in LabRecorder's XDF header.
enum LSLDeviceDescription {
    static func name(_ source: LSLDeviceSource, settings: LSLPublishSettings, devices: Int) -> String {
        guard let given = settings.name else { return "Mosquito \(source.identity.serial)" }
        return devices > 1 ? "\(given) \(source.identity.serial)" : given
    }

    /// A stream of one kind of channel is typed by it (`voltage`, `force`, …); a mixed one is `mixed`.
    static func type(_ source: LSLDeviceSource, settings: LSLPublishSettings) -> String {
        if let given = settings.type { return given }
        let kinds = Set(source.channels.map { source.identity.channels[$0].kind.description })
        return kinds.count == 1 ? kinds.first! : "mixed"
    }

    static func values(
        _ source: LSLDeviceSource, name: String, type: String, format: LSLChannelFormat, outputRate: Double,
        pipeline: PipelineDescription, clock: ClockMapping?
    ) throws(LSLError) -> LSLStreamInfo {
        var desc = LSLXMLElement("desc")
        desc.append(channels(source, raw: false))
        desc.append(acquisition(source))
        if let filters = filters(source.pipeline, pipeline: pipeline) { desc.append(filters) }
        desc.append(provenance(source, pipeline: pipeline, clock: clock))
        return try LSLStreamInfo(
            name: name, type: type, channelCount: source.channels.count, nominalRate: outputRate,
            channelFormat: format, sourceID: source.identity.serial, desc: desc)
    }

    static func raw(_ source: LSLDeviceSource, name: String, type: String, outputRate: Double) throws(LSLError) -> LSLStreamInfo {
        var desc = LSLXMLElement("desc")
        desc.append(channels(source, raw: true))
        desc.append(acquisition(source))
        return try LSLStreamInfo(
            name: name + " raw", type: type, channelCount: source.channels.count, nominalRate: outputRate,
            channelFormat: .int32, sourceID: source.identity.serial + "-raw", desc: desc)
    }

    static func markers(_ source: LSLDeviceSource, name: String) throws(LSLError) -> LSLStreamInfo {
        var desc = LSLXMLElement("desc")
        var channels = LSLXMLElement("channels")
        channels.append(LSLXMLElement("channel", children: [
            LSLXMLElement("label", text: "event"), LSLXMLElement("type", text: "Markers"),
            LSLXMLElement("format", text: "JSON object, one per marker; key \"event\" names it"),
        ]))
        desc.append(channels)
        desc.append(acquisition(source))
        return try LSLStreamInfo(
            name: name + " Markers", type: "Markers", channelCount: 1, nominalRate: 0, channelFormat: .string,
            sourceID: source.identity.serial + "-markers", desc: desc)
    }

    private static func channels(_ source: LSLDeviceSource, raw: Bool) -> LSLXMLElement {
        var out = LSLXMLElement("channels")
        for c in source.channels {
            let ch = source.identity.channels[c]
            out.append(LSLXMLElement("channel", children: [
                LSLXMLElement("label", text: ch.name),
                LSLXMLElement("unit", text: raw ? "counts" : ch.unit),
                LSLXMLElement("type", text: ch.kind.description),
            ]))
        }
        return out
    }

    /// The XDF convention readers use (MNE-LSL sets its info's highpass/lowpass from it): the band the pipeline
    /// passes, in Hz: the highest high-pass edge and the lowest low-pass edge, decimation's anti-alias filter included.
    private static func filters(_ spec: PipelineSpec, pipeline: PipelineDescription) -> LSLXMLElement? {
        var highpass: Double?, lowpass: Double?
        for (stage, described) in zip(spec.stages, pipeline.stages) {
            switch stage {
            case .lowpass(_, let cutoff): lowpass = min(lowpass ?? cutoff, cutoff)
            case .highpass(_, let cutoff): highpass = max(highpass ?? cutoff, cutoff)
            case .bandpass(_, let low, let high):
                highpass = max(highpass ?? low, low)
                lowpass = min(lowpass ?? high, high)
            case .decimate(let factor) where factor > 1:
                let cutoff = Decimator.antiAliasCutoff(inputRate: described.inputRate, factor: factor)
                lowpass = min(lowpass ?? cutoff, cutoff)
            case .notch, .decimate: break
            }
        }
        guard highpass != nil || lowpass != nil else { return nil }
        var out = LSLXMLElement("filters")
        if let highpass { out.append("highpass", text: "\(highpass)") }
        if let lowpass { out.append("lowpass", text: "\(lowpass)") }
        return out
    }

    private static func acquisition(_ source: LSLDeviceSource) -> LSLXMLElement {
        let id = source.identity
        return LSLXMLElement("acquisition", children: [
            LSLXMLElement("manufacturer", text: "Mosquito"),
            LSLXMLElement("model", text: id.design),
            LSLXMLElement("serial_number", text: id.serial),
            LSLXMLElement("hardware_revision", text: String(id.hardwareRevision)),
            LSLXMLElement("firmware_version", text: id.firmware.description),
        ])
    }

    private static func provenance(_ source: LSLDeviceSource, pipeline: PipelineDescription, clock: ClockMapping?) -> LSLXMLElement {
        var calibration = LSLXMLElement("calibration")
        for (k, c) in source.channels.enumerated() {
            let record = source.calibrations[k]
            let date = Date(timeIntervalSince1970: TimeInterval(record.calibratedAt))
            calibration.append(LSLXMLElement("channel", children: [
                LSLXMLElement("label", text: source.identity.channels[c].name),
                LSLXMLElement("polynomial", text: record.coefficients.map { "\($0)" }.joined(separator: " ")),
                LSLXMLElement("degree", text: String(record.degree)),
                LSLXMLElement("date", text: record.calibratedAt == 0 ? "" : ISO8601DateFormatter().string(from: date)),
                LSLXMLElement("technician", text: record.technician),
                LSLXMLElement("certificate_id", text: source.certificateIDs[k] ?? ""),
            ]))
        }
        var stages = LSLXMLElement("pipeline", children: [
            LSLXMLElement("acquisition_rate_hz", text: String(source.rateHz)),
            LSLXMLElement("output_rate_hz", text: "\(pipeline.outputRate)"),
        ])
        for stage in pipeline.stages { stages.append("stage", text: stage.summary) }
        return LSLXMLElement("provenance", children: [
            calibration,
            stages,
            LSLXMLElement("software", children: [
                LSLXMLElement("name", text: "mosquito"), LSLXMLElement("version", text: source.softwareVersion),
            ]),
            LSLXMLElement("clock", children: [
                LSLXMLElement("timestamps", text: "device time mapped to host CLOCK_MONOTONIC (lsl_local_clock) by PING exchanges"),
                LSLXMLElement("uncertainty_ns", text: clock.map { String(format: "%.0f", $0.clockOffsetUncertaintyNs) } ?? ""),
                LSLXMLElement("drift_ppm", text: clock.map { String(format: "%.3f", $0.driftPPM) } ?? ""),
            ]),
        ])
    }
}
