/// The processing a recording applies, in order, as the CLI spells it:
/// `--filter lowpass:ORDER:HZ`, `--filter highpass:ORDER:HZ`, `--filter bandpass:ORDER:LOW_HZ:HIGH_HZ`,
/// `--filter notch:HZ`, `--decimate N`. Pure value: parse, validate against a rate, describe.
public struct PipelineSpec: Sendable, Hashable, Codable {
    public enum Stage: Sendable, Hashable, Codable {
        case lowpass(order: Int, cutoff: Double)
        case highpass(order: Int, cutoff: Double)
        case bandpass(order: Int, low: Double, high: Double)
        /// Quality factor fixed at ``Notch/defaultQuality`` when parsed from the CLI.
        case notch(frequency: Double, quality: Double)
        case decimate(factor: Int)

        /// The CLI token that produces this stage (`decimate:N` stands for `--decimate N`).
        public var token: String {
            switch self {
            case .lowpass(let order, let cutoff): "lowpass:\(order):\(formatHertz(cutoff))"
            case .highpass(let order, let cutoff): "highpass:\(order):\(formatHertz(cutoff))"
            case .bandpass(let order, let low, let high):
                "bandpass:\(order):\(formatHertz(low)):\(formatHertz(high))"
            case .notch(let frequency, _): "notch:\(formatHertz(frequency))"
            case .decimate(let factor): "decimate:\(factor)"
            }
        }
    }

    public var stages: [Stage]

    public init(stages: [Stage] = []) {
        self.stages = stages
    }

    /// From the CLI's repeated `--filter` values (in order) and optional `--decimate`, which applies after
    /// the filters (argument parsers do not keep the relative order of different options).
    public init(filters: [String], decimate: Int?) throws(PipelineSpecError) {
        var stages: [Stage] = []
        for token in filters {
            let stage = try Self.parseStage(token)
            if case .decimate = stage { throw .malformed(token: token, reason: "use --decimate N for decimation") }
            stages.append(stage)
        }
        if let decimate {
            guard decimate >= 1 else { throw .badDecimation(String(decimate)) }
            stages.append(.decimate(factor: decimate))
        }
        self.stages = stages
    }

    /// Parses a list of stage tokens in order, `decimate:N` included.
    public init(tokens: [String]) throws(PipelineSpecError) {
        var stages: [Stage] = []
        for token in tokens { stages.append(try Self.parseStage(token)) }
        self.stages = stages
    }

    public static func parseStage(_ token: String) throws(PipelineSpecError) -> Stage {
        let parts = token.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func number(_ text: String, _ what: String) throws(PipelineSpecError) -> Double {
            guard let v = Double(text), v.isFinite else {
                throw .malformed(token: token, reason: "\(what) '\(text)' is not a number")
            }
            return v
        }
        func order(_ text: String) throws(PipelineSpecError) -> Int {
            guard let v = Int(text) else { throw .malformed(token: token, reason: "order '\(text)' is not an integer") }
            guard Butterworth.orders.contains(v) else {
                throw .malformed(token: token, reason: "filter order \(v) is out of range: Butterworth order must be 1 to 8")
            }
            return v
        }
        func expect(_ count: Int, _ form: String) throws(PipelineSpecError) {
            guard parts.count == count else { throw .malformed(token: token, reason: "expected \(form)") }
        }
        switch parts[0] {
        case "lowpass":
            try expect(3, "lowpass:ORDER:HZ")
            return .lowpass(order: try order(parts[1]), cutoff: try number(parts[2], "cutoff"))
        case "highpass":
            try expect(3, "highpass:ORDER:HZ")
            return .highpass(order: try order(parts[1]), cutoff: try number(parts[2], "cutoff"))
        case "bandpass":
            try expect(4, "bandpass:ORDER:LOW_HZ:HIGH_HZ")
            return .bandpass(
                order: try order(parts[1]), low: try number(parts[2], "low edge"), high: try number(parts[3], "high edge"))
        case "notch":
            try expect(2, "notch:HZ")
            return .notch(frequency: try number(parts[1], "frequency"), quality: Notch.defaultQuality)
        case "decimate":
            try expect(2, "decimate:N")
            guard let factor = Int(parts[1]), factor >= 1 else { throw .badDecimation(parts[1]) }
            return .decimate(factor: factor)
        default:
            throw .malformed(
                token: token,
                reason: "unknown filter '\(parts[0])'; use lowpass:ORDER:HZ, highpass:ORDER:HZ, bandpass:ORDER:LOW_HZ:HIGH_HZ or notch:HZ")
        }
    }

    /// How many input samples each output sample stands for: the product of every decimation stage's factor,
    /// 1 when nothing is decimated. A product beyond `Int.max` (no pipeline could run it) saturates there.
    public var decimationFactor: Int {
        stages.reduce(1) { product, stage in
            guard case .decimate(let factor) = stage else { return product }
            let (next, overflow) = product.multipliedReportingOverflow(by: factor)
            return overflow ? Int.max : next
        }
    }

    /// Rate after every decimation stage.
    public func outputRate(inputRate: Double) -> Double {
        stages.reduce(inputRate) { rate, stage in
            if case .decimate(let factor) = stage { return rate / Double(factor) }
            return rate
        }
    }

    /// Designs every stage for a stream at `inputRate`, checking each cutoff against the Nyquist
    /// frequency of the rate at that point in the pipeline. Throws the first problem.
    public func describe(inputRate: Double) throws(PipelineSpecError) -> PipelineDescription {
        var rate = inputRate
        var described: [PipelineDescription.StageDescription] = []
        for stage in stages {
            let sections: [SecondOrderSection]
            var outRate = rate
            var summary: String
            do {
                switch stage {
                case .lowpass(let order, let cutoff):
                    sections = try Butterworth.sections(order: order, response: .lowpass(cutoff: cutoff), sampleRate: rate)
                    summary = "Butterworth low-pass, order \(order), cutoff \(formatHertz(cutoff)) Hz"
                case .highpass(let order, let cutoff):
                    sections = try Butterworth.sections(order: order, response: .highpass(cutoff: cutoff), sampleRate: rate)
                    summary = "Butterworth high-pass, order \(order), cutoff \(formatHertz(cutoff)) Hz"
                case .bandpass(let order, let low, let high):
                    sections = try Butterworth.sections(
                        order: order, response: .bandpass(low: low, high: high), sampleRate: rate)
                    summary = "Butterworth band-pass, order \(order), \(formatHertz(low))–\(formatHertz(high)) Hz"
                case .notch(let frequency, let quality):
                    sections = [try Notch.section(frequency: frequency, quality: quality, sampleRate: rate)]
                    summary = "notch \(formatHertz(frequency)) Hz, Q \(formatHertz(quality))"
                case .decimate(let factor):
                    if factor == 1 {
                        sections = []
                    } else {
                        sections = try Butterworth.sections(
                            order: Decimator.antiAliasOrder,
                            response: .lowpass(cutoff: Decimator.antiAliasCutoff(inputRate: rate, factor: factor)),
                            sampleRate: rate)
                    }
                    outRate = rate / Double(factor)
                    summary = "decimate by \(factor) (anti-alias Butterworth low-pass, order \(Decimator.antiAliasOrder), cutoff "
                        + "\(formatHertz(Decimator.antiAliasCutoff(inputRate: rate, factor: factor))) Hz)"
                }
            } catch {
                throw .design(token: stage.token, rate: rate, error)
            }
            described.append(
                .init(token: stage.token, summary: summary, inputRate: rate, outputRate: outRate,
                      sections: sections.map(\.scipyRow)))
            rate = outRate
        }
        return PipelineDescription(inputRate: inputRate, outputRate: rate, stages: described)
    }
}

/// What a pipeline did, for a recording's provenance: each stage's CLI token, a sentence, its rates and
/// the exact biquad coefficients applied (scipy `sos` rows: b0 b1 b2 a0 a1 a2).
public struct PipelineDescription: Sendable, Hashable, Codable, CustomStringConvertible {
    public struct StageDescription: Sendable, Hashable, Codable {
        public var token: String
        public var summary: String
        public var inputRate: Double
        public var outputRate: Double
        public var sections: [[Double]]
    }

    public var inputRate: Double
    public var outputRate: Double
    public var stages: [StageDescription]

    /// One line: "1000 Hz → Butterworth low-pass, order 4, cutoff 50 Hz → … → 100 Hz"; "none" if empty.
    public var description: String {
        if stages.isEmpty { return "no processing (\(formatHertz(inputRate)) Hz)" }
        return ([formatHertz(inputRate) + " Hz"] + stages.map(\.summary) + [formatHertz(outputRate) + " Hz"])
            .joined(separator: " → ")
    }
}

public enum PipelineSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(token: String, reason: String)
    case badDecimation(String)
    case design(token: String, rate: Double, FilterDesignError)

    public var description: String {
        switch self {
        case .malformed(let token, let reason): "--filter \(token): \(reason)"
        case .badDecimation(let text): "--decimate \(text): the factor must be a whole number of at least 1"
        case .design(let token, let rate, let error):
            "\(token.hasPrefix("decimate:") ? "--decimate " + token.dropFirst(9) : "--filter " + token) "
                + "at \(formatHertz(rate)) Hz: \(error)"
        }
    }
}
