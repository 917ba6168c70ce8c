import Foundation
import Testing
@testable import Signal

/// Our designs and filtering against scipy 1.17 (Fixtures/make_scipy_fixtures.py writes the JSON).
@Suite struct ScipyFixtureTests {
    struct Fixture: Decodable {
        struct Filter: Decodable {
            var name: String
            var kind: String
            var fs: Double
            var order: Int?
            var low: Double
            var high: Double?
            var quality: Double?
            var sos: [[Double]]
            var output: [Double]
        }
        struct Decimation: Decodable {
            var fs: Double
            var factor: Int
            var sos: [[Double]]
            var output: [Double]
        }
        var generator: String
        var input: [Double]
        var filters: [Filter]
        var decimations: [Decimation]
    }

    static let fixture: Fixture = {
        let url = Bundle.module.url(forResource: "scipy_filters", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    /// 1e-9 relative to the reference value; values that are themselves ~0 (sample-output zero
    /// crossings, coefficients that vanish) are compared relative to the largest magnitude in their set.
    static func close(_ ours: [Double], _ reference: [Double], tolerance: Double = 1e-9) -> Bool {
        guard ours.count == reference.count else { return false }
        let scale = reference.map(abs).max() ?? 0
        return zip(ours, reference).allSatisfy { a, b in abs(a - b) <= tolerance * max(abs(b), scale * 1e-3, .leastNormalMagnitude) }
    }

    static func design(_ f: Fixture.Filter) throws -> [SecondOrderSection] {
        switch f.kind {
        case "lowpass": try Butterworth.sections(order: f.order!, response: .lowpass(cutoff: f.low), sampleRate: f.fs)
        case "highpass": try Butterworth.sections(order: f.order!, response: .highpass(cutoff: f.low), sampleRate: f.fs)
        case "bandpass":
            try Butterworth.sections(order: f.order!, response: .bandpass(low: f.low, high: f.high!), sampleRate: f.fs)
        case "notch": [try Notch.section(frequency: f.low, quality: f.quality!, sampleRate: f.fs)]
        default: throw FilterDesignError.cutoffNotPositive(-1)
        }
    }

    @Test func fixtureCoversEveryOrderAndKind() {
        let f = Self.fixture.filters
        for kind in ["lowpass", "highpass", "bandpass"] {
            #expect(Set(f.filter { $0.kind == kind }.compactMap(\.order)) == Set(1...8))
        }
        #expect(f.contains { $0.kind == "notch" })
    }

    @Test(arguments: fixture.filters.map(\.name))
    func coefficientsMatchScipy(name: String) throws {
        let f = Self.fixture.filters.first { $0.name == name }!
        let sections = try Self.design(f)
        #expect(sections.count == f.sos.count)
        for (ours, theirs) in zip(sections, f.sos) {
            #expect(Self.close(ours.scipyRow, theirs), "\(name): \(ours.scipyRow) vs \(theirs)")
        }
    }

    @Test(arguments: fixture.filters.map(\.name))
    func outputMatchesSosfilt(name: String) throws {
        let f = Self.fixture.filters.first { $0.name == name }!
        let cascade = BiquadCascade(sections: try Self.design(f), channelCount: 1)
        var signal = Self.fixture.input
        signal.withUnsafeMutableBufferPointer { cascade.process($0) }
        #expect(Self.close(signal, f.output), "\(name)")
    }

    @Test(arguments: 0..<fixture.decimations.count)
    func decimationMatchesScipy(caseIndex: Int) throws {
        let d = Self.fixture.decimations[caseIndex]
        let decimator = try Decimator(factor: d.factor, channelCount: 1, inputRate: d.fs)
        for (ours, theirs) in zip(decimator.antiAlias.sections, d.sos) {
            #expect(Self.close(ours.scipyRow, theirs))
        }
        var signal = Self.fixture.input
        let kept = signal.withUnsafeMutableBufferPointer { decimator.process($0.baseAddress!, frameCount: $0.count) }
        #expect(kept.firstKeptOffset == 0)
        #expect(Self.close(Array(signal.prefix(kept.kept)), d.output))
    }
}
