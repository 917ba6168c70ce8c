import Foundation
import Testing
@testable import Signal

@Suite struct PipelineSpecTests {
    @Test func parsesEveryCLIForm() throws {
        let spec = try PipelineSpec(
            filters: ["lowpass:4:50", "highpass:2:0.5", "bandpass:3:1:40", "notch:60"], decimate: 10)
        #expect(spec.stages == [
            .lowpass(order: 4, cutoff: 50), .highpass(order: 2, cutoff: 0.5),
            .bandpass(order: 3, low: 1, high: 40), .notch(frequency: 60, quality: 30), .decimate(factor: 10),
        ])
        #expect(spec.stages.map(\.token) == ["lowpass:4:50", "highpass:2:0.5", "bandpass:3:1:40", "notch:60", "decimate:10"])
        #expect(spec.outputRate(inputRate: 1000) == 100)
    }

    @Test func tokensKeepTheirOrderIncludingDecimation() throws {
        let spec = try PipelineSpec(tokens: ["decimate:2", "lowpass:2:100", "decimate:5"])
        #expect(spec.outputRate(inputRate: 1000) == 100)
        let description = try spec.describe(inputRate: 1000)
        #expect(description.stages.map(\.inputRate) == [1000, 500, 500])
        #expect(description.stages.map(\.outputRate) == [500, 500, 100])
    }

    @Test(arguments: [
        ("lowpass:4", "--filter lowpass:4: expected lowpass:ORDER:HZ"),
        ("lowpass:9:50", "--filter lowpass:9:50: filter order 9 is out of range: Butterworth order must be 1 to 8"),
        ("lowpass:0:50", "--filter lowpass:0:50: filter order 0 is out of range: Butterworth order must be 1 to 8"),
        ("lowpass:x:50", "--filter lowpass:x:50: order 'x' is not an integer"),
        ("highpass:2:abc", "--filter highpass:2:abc: cutoff 'abc' is not a number"),
        ("bandpass:2:10", "--filter bandpass:2:10: expected bandpass:ORDER:LOW_HZ:HIGH_HZ"),
        ("notch", "--filter notch: expected notch:HZ"),
        ("comb:3", "--filter comb:3: unknown filter 'comb'; use lowpass:ORDER:HZ, highpass:ORDER:HZ, bandpass:ORDER:LOW_HZ:HIGH_HZ or notch:HZ"),
        ("notch:inf", "--filter notch:inf: frequency 'inf' is not a number"),
    ])
    func malformedTokensSayWhatIsWrong(token: String, message: String) {
        #expect(throws: PipelineSpecError.self) { try PipelineSpec(filters: [token], decimate: nil) }
        do {
            _ = try PipelineSpec(filters: [token], decimate: nil)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func decimationFactorMustBePositive() {
        #expect(throws: PipelineSpecError.badDecimation("0")) { try PipelineSpec(filters: [], decimate: 0) }
        #expect(PipelineSpecError.badDecimation("0").description == "--decimate 0: the factor must be a whole number of at least 1")
    }

    @Test func cutoffAtOrAboveNyquistIsRejectedAtTheRateOfItsStage() throws {
        let spec = try PipelineSpec(filters: ["lowpass:4:500"], decimate: nil)
        do {
            _ = try spec.describe(inputRate: 1000)
            Issue.record("cutoff at Nyquist accepted")
        } catch {
            #expect(error.description == "--filter lowpass:4:500 at 1000 Hz: cutoff 500 Hz must be below the Nyquist frequency 500 Hz (half the sampling rate)")
        }
        // 200 Hz is fine at 1 kHz but not after decimating by 5.
        let late = try PipelineSpec(tokens: ["decimate:5", "lowpass:2:200"])
        #expect(throws: PipelineSpecError.design(
            token: "lowpass:2:200", rate: 200, .cutoffAtOrAboveNyquist(cutoff: 200, nyquist: 100))) {
            try late.describe(inputRate: 1000)
        }
        let band = try PipelineSpec(filters: ["bandpass:2:40:10"], decimate: nil)
        #expect(throws: PipelineSpecError.design(token: "bandpass:2:40:10", rate: 1000, .bandEdgesNotIncreasing(low: 40, high: 10))) {
            try band.describe(inputRate: 1000)
        }
    }

    @Test func descriptionStatesWhatWasApplied() throws {
        let spec = try PipelineSpec(filters: ["lowpass:4:50", "notch:60"], decimate: 10)
        let d = try spec.describe(inputRate: 1000)
        #expect(d.description == "1000 Hz → Butterworth low-pass, order 4, cutoff 50 Hz → notch 60 Hz, Q 30 → "
            + "decimate by 10 (anti-alias Butterworth low-pass, order 8, cutoff 40 Hz) → 100 Hz")
        #expect(d.stages.map { $0.sections.count } == [2, 1, 4])
        #expect(d.stages.allSatisfy { $0.sections.allSatisfy { $0.count == 6 && $0[3] == 1 } })
        #expect(try PipelineSpec().describe(inputRate: 250).description == "no processing (250 Hz)")
    }

    @Test func designedFiltersDoWhatTheySay() throws {
        let low = try Butterworth.sections(order: 4, response: .lowpass(cutoff: 50), sampleRate: 1000)
        #expect(abs(cascadeGain(low, atFrequency: 50, sampleRate: 1000) - 0.5.squareRoot()) < 1e-9)
        #expect(abs(cascadeGain(low, atFrequency: 0, sampleRate: 1000) - 1) < 1e-12)
        #expect(cascadeGain(low, atFrequency: 200, sampleRate: 1000) < 3e-3)  // −24 dB/octave, two octaves up
        let notch = try Notch.section(frequency: 50, sampleRate: 1000)
        #expect(notch.gain(atFrequency: 50, sampleRate: 1000) < 1e-9)
        #expect(abs(notch.gain(atFrequency: 50 + 50 / 30 / 2, sampleRate: 1000) - 0.5.squareRoot()) < 5e-3)
        let band = try Butterworth.sections(order: 3, response: .bandpass(low: 10, high: 40), sampleRate: 500)
        #expect(band.count == 3)
        #expect(abs(cascadeGain(band, atFrequency: 10, sampleRate: 500) - 0.5.squareRoot()) < 1e-9)
    }

    @Test func specAndDescriptionRoundTripThroughJSONForProvenance() throws {
        let spec = try PipelineSpec(filters: ["bandpass:2:1:40", "notch:50"], decimate: 5)
        let description = try spec.describe(inputRate: 500)
        let decodedSpec = try JSONDecoder().decode(PipelineSpec.self, from: JSONEncoder().encode(spec))
        let decoded = try JSONDecoder().decode(PipelineDescription.self, from: JSONEncoder().encode(description))
        #expect(decodedSpec == spec)
        #expect(decoded == description)
        #expect(decoded.outputRate == 100)
        // The recorded tokens rebuild the same spec.
        #expect(try PipelineSpec(tokens: decoded.stages.map(\.token)) == spec)
    }
}
