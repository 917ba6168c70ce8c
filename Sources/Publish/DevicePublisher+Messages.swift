import Device
import Foundation
import MQTT
import MosquitoModel
import Signal

/// The JSON messages of a device publisher: gap events, summaries, status (docs/mqtt.md). Publisher thread only.
extension DevicePublisher {
    /// What of an index jump this subscriber's own ring did not drop: samples the edge itself lost (its
    /// recording's gaps table says why). The ring's drops are reported as `publisher_overrun` already.
    func upstreamGap(_ jump: Range<UInt64>, besides overruns: [Gap]) {
        let ours = overruns.reduce(UInt64(0)) { sum, gap in
            let lo = max(jump.lowerBound, gap.firstMissingIndex)
            let hi = min(jump.upperBound, gap.firstMissingIndex.addingReportingOverflow(gap.count).overflow ? .max : gap.firstMissingIndex + gap.count)
            return sum.addingReportingOverflow(hi > lo ? hi - lo : 0).partialValue
        }
        let width = jump.upperBound - jump.lowerBound
        guard width > ours else { return }
        event(["event": "gap", "cause": "upstream", "first_index": jump.lowerBound, "count": width - ours])
    }

    func sendSummary() {
        guard !summary.isEmpty, let covered = summaryIndices else { return }
        struct Summary: Encodable {
            var time_ns: Int64
            var first_index: UInt64
            var last_index: UInt64
            var channels: [String: SummaryAccumulator.Channel]
        }
        let s = Summary(
            time_ns: UTCClock.nowNs(), first_index: covered.first, last_index: covered.last,
            channels: summary.channels(names: names, units: units))
        summary = SummaryAccumulator(channels: outlets.channelCount)
        summaryIndices = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let json = try? encoder.encode(s) else { return }
        client.publish(topic: topics.summary, bytes: Array(json), qos: .atLeastOnce)
    }

    func event(_ fields: [String: any Sendable]) {
        var object = fields
        object["time_ns"] = UTCClock.nowNs()
        guard let json = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        // Control: an event is what tells a subscriber that the bound refused data, so the bound must not refuse it.
        client.publish(topic: topics.events, bytes: Array(json), qos: .atLeastOnce, control: true)
    }

    /// `recording`: the local file being written; `api`: where an archive fetches its rows (docs/mqtt.md).
    static func statusJSON(
        state: String, serial: String, softwareVersion: String, clean: Bool, recording: String? = nil, api: String? = nil
    ) -> [UInt8] {
        var object: [String: Any] = [
            "state": state, "serial": serial, "software_version": softwareVersion, "host": ProcessInfo.processInfo.hostName,
            "time_ns": UTCClock.nowNs(), "clean": clean,
        ]
        if let recording { object["recording"] = recording }
        if let api { object["api"] = api }
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}
