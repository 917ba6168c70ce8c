import MosquitoModel
import Signal

/// `record --trigger CH:CONDITION:LEVEL`: the recording starts at the first sample of device channel `channel`
/// whose calibrated value meets the condition; nothing before it is written, and a run of N seconds holds the
/// N·rate samples from it on. Live subscribers see the whole stream either way.
public struct TriggerSpec: Sendable, Equatable {
    public var channel: Int
    public var condition: Trigger.Condition
    /// In the channel's calibrated unit, before the pipeline's filters.
    public var level: Double

    public init(channel: Int, condition: Trigger.Condition, level: Double) {
        self.channel = channel
        self.condition = condition
        self.level = level
    }

    /// Parses `CH:rising|falling|above|below:LEVEL`, e.g. `0:rising:1.5`.
    public init(parsing text: String) throws(AcquisitionError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let usage = "--trigger '\(text)': expected CHANNEL:rising|falling|above|below:LEVEL, e.g. 0:rising:1.5"
        guard parts.count == 3, let channel = Int(parts[0]), channel >= 0,
            let level = Double(parts[2]), level.isFinite
        else { throw .badRequest(usage) }
        let condition: Trigger.Condition
        switch parts[1] {
        case "rising": condition = .risingEdge
        case "falling": condition = .fallingEdge
        case "above": condition = .levelAbove
        case "below": condition = .levelBelow
        default: throw .badRequest(usage)
        }
        self.init(channel: channel, condition: condition, level: level)
    }

    var conditionWord: String {
        switch condition {
        case .risingEdge: "rising through"
        case .fallingEdge: "falling through"
        case .levelAbove: "at or above"
        case .levelBelow: "below"
        }
    }
}

/// Watches one channel of the delivered stream, on the reader thread, until the trigger fires.
public struct TriggerGate: Sendable {
    let spec: TriggerSpec
    /// The channel's place in a frame of the recorded channels.
    let column: Int
    let polynomial: CalibrationPolynomial
    /// Samples the run holds from the trigger on (nil: until stopped).
    let runLength: UInt64?
    private var trigger: Trigger
    /// The first recorded index, once the trigger fired.
    public private(set) var firedAt: UInt64?

    public init(spec: TriggerSpec, column: Int, polynomial: CalibrationPolynomial, runLength: UInt64?) {
        self.spec = spec
        self.column = column
        self.polynomial = polynomial
        self.runLength = runLength
        trigger = Trigger(channel: 0, condition: spec.condition, level: spec.level)
    }

    /// Feeds `count` frames of `channelCount` raw values (the first at host index `firstIndex`); returns the
    /// index where the trigger fires, if it does in them. Fires once.
    mutating func fire(
        raw: UnsafeBufferPointer<Int32>, channelCount: Int, count: Int, firstIndex: UInt64
    ) -> UInt64? {
        guard firedAt == nil else { return nil }
        for k in 0..<count {
            var value = polynomial.value(raw: raw[k * channelCount + column])
            var mark: UInt64?
            trigger.process(&value, frameCount: 1, channelCount: 1, firstIndex: firstIndex + UInt64(k)) { mark = $0 }
            if let mark {
                firedAt = mark
                return mark
            }
        }
        return nil
    }

    func event(at index: UInt64) -> IngestEvent {
        let level = spec.level
        return IngestEvent(
            afterIndex: index, kind: "trigger",
            detail: "channel \(spec.channel) \(spec.conditionWord) \(level): recording starts at index \(index)")
    }
}
