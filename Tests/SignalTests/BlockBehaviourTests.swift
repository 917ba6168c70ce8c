import Foundation
import MosquitoModel
import Testing
@testable import Signal

@Suite struct BlockBehaviourTests {
    func marks(_ trigger: Trigger, _ values: [Double]) -> [UInt64] {
        var t = trigger
        var out: [UInt64] = []
        values.withUnsafeBufferPointer { t.process($0.baseAddress!, frameCount: values.count, channelCount: 1, firstIndex: 100) { out.append($0) } }
        return out
    }

    @Test func edgeTriggersMarkTheCrossingSample() {
        let signal: [Double] = [0, 0.4, 0.6, 0.7, 0.3, 0.8, 0.2]
        #expect(marks(Trigger(channel: 0, condition: .risingEdge, level: 0.5), signal) == [102, 105])
        #expect(marks(Trigger(channel: 0, condition: .fallingEdge, level: 0.5), signal) == [104, 106])
    }

    @Test func hysteresisIgnoresChatterUntilRearmed() {
        // Noise around 0.5 fires once; only after dropping below 0.5 − 0.2 does it fire again.
        let signal: [Double] = [0, 0.6, 0.45, 0.55, 0.4, 0.52, 0.1, 0.9]
        #expect(marks(Trigger(channel: 0, condition: .risingEdge, level: 0.5, hysteresis: 0.2), signal) == [101, 107])
        #expect(marks(Trigger(channel: 0, condition: .risingEdge, level: 0.5), signal) == [101, 103, 105, 107])
    }

    @Test func holdoffSuppressesMarksForThatManySamples() {
        let signal: [Double] = [0, 1, 0, 1, 0, 1, 0, 1]
        #expect(marks(Trigger(channel: 0, condition: .risingEdge, level: 0.5, holdoff: 3), signal) == [101, 105])
    }

    @Test func levelTriggerFiresWhenAlreadyAboveAtStart() {
        let signal: [Double] = [0.9, 0.8, 0.1, 0.7]
        #expect(marks(Trigger(channel: 0, condition: .levelAbove, level: 0.5), signal) == [100, 103])
        #expect(marks(Trigger(channel: 0, condition: .risingEdge, level: 0.5), signal) == [103])
        #expect(marks(Trigger(channel: 0, condition: .levelBelow, level: 0.5), signal) == [102])
    }

    @Test func calibrationPolynomialEvaluatesAllTerms() {
        let p = CalibrationPolynomial(c0: 1, c1: 2, c2: 3, c3: 4)
        #expect(p.value(raw: 2) == 1 + 4 + 12 + 32)
        #expect(p.value(raw: -1) == 1 - 2 + 3 - 4)
        #expect(CalibrationPolynomial.identity.value(raw: -123_456) == -123_456)
    }

    @Test func decimatorPassesDCAndAttenuatesAliases() throws {
        let decimator = try Decimator(factor: 10, channelCount: 1, inputRate: 1000)
        #expect(decimator.outputRate == 100)
        // 1 V DC plus a 470 Hz tone, which would alias to 30 Hz without the low-pass.
        var signal: [Double] = (0..<5000).map { (i: Int) -> Double in 1 + sin(2 * Double.pi * 470 * Double(i) / 1000) }
        let kept = signal.withUnsafeMutableBufferPointer { decimator.process($0.baseAddress!, frameCount: $0.count) }
        #expect(kept.kept == 500)
        let settled = signal[250..<500]
        #expect(settled.allSatisfy { abs($0 - 1) < 1e-3 })
    }

    @Test func cascadeResetForgetsHistory() throws {
        let cascade = BiquadCascade(
            sections: try Butterworth.sections(order: 2, response: .lowpass(cutoff: 10), sampleRate: 100), channelCount: 1)
        var a: [Double] = [1, 1, 1, 1]
        a.withUnsafeMutableBufferPointer { cascade.process($0) }
        cascade.reset()
        var b: [Double] = [1, 1, 1, 1]
        b.withUnsafeMutableBufferPointer { cascade.process($0) }
        #expect(a == b)
        #expect(a[0] != 1)
    }
}
