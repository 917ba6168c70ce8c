import MosquitoModel

/// A running ``PipelineSpec``: raw frames in, calibrated and processed frames out. Calibration first,
/// then every stage in the spec's order. All state and scratch space is allocated in `init`; `process`
/// never allocates, and feeding a stream in any chunking gives bit-identical output.
public final class Pipeline {
    public let spec: PipelineSpec
    public let description: PipelineDescription
    public let channelCount: Int
    public let maxFramesPerChunk: Int
    public let calibrator: Calibrator

    private enum Block {
        case filter(BiquadCascade)
        case decimate(Decimator)
    }

    private let blocks: [Block]
    private let scratch: UnsafeMutablePointer<Double>

    /// - Parameter maxFramesPerChunk: scratch size; larger inputs are processed in pieces of this size.
    public init(
        spec: PipelineSpec, calibration: [CalibrationPolynomial], inputRate: Double, maxFramesPerChunk: Int = 4096
    ) throws(PipelineSpecError) {
        precondition(maxFramesPerChunk > 0, "scratch holds at least one frame")
        self.spec = spec
        description = try spec.describe(inputRate: inputRate)
        calibrator = Calibrator(polynomials: calibration)
        channelCount = calibration.count
        self.maxFramesPerChunk = maxFramesPerChunk
        var blocks: [Block] = []
        for (stage, described) in zip(spec.stages, description.stages) {
            switch stage {
            case .decimate(let factor):
                do {
                    blocks.append(.decimate(try Decimator(factor: factor, channelCount: channelCount, inputRate: described.inputRate)))
                } catch {
                    throw .design(token: stage.token, rate: described.inputRate, error)
                }
            default:
                let sections = described.sections.map {
                    SecondOrderSection(b0: $0[0], b1: $0[1], b2: $0[2], a1: $0[4], a2: $0[5])
                }
                blocks.append(.filter(BiquadCascade(sections: sections, channelCount: channelCount)))
            }
        }
        self.blocks = blocks
        scratch = .allocate(capacity: maxFramesPerChunk * channelCount)
        scratch.initialize(repeating: 0, count: maxFramesPerChunk * channelCount)
    }

    deinit { scratch.deallocate() }

    public var inputRate: Double { description.inputRate }
    public var outputRate: Double { description.outputRate }

    /// Forgets all filter history and decimation phase (e.g. after a gap, if continuity matters more
    /// than transients).
    public func reset() {
        for block in blocks {
            switch block {
            case .filter(let cascade): cascade.reset()
            case .decimate(let decimator): decimator.reset()
            }
        }
    }

    /// Processes `frames`; calls `output` once per piece of at most `maxFramesPerChunk` input frames
    /// (possibly with zero output frames when decimating).
    public func process(_ frames: FrameSpan, output: (PipelineOutput) -> Void) {
        precondition(frames.channelCount == channelCount, "frame shape mismatch")
        var start = 0
        while start < frames.count {
            let piece = frames.slice(start..<min(frames.count, start + maxFramesPerChunk))
            calibrator.process(raw: piece.values, into: scratch)
            var count = piece.count
            var base = 0
            var stride = 1
            for block in blocks {
                switch block {
                case .filter(let cascade):
                    cascade.process(scratch, frameCount: count)
                case .decimate(let decimator):
                    let (kept, first) = decimator.process(scratch, frameCount: count)
                    base += first * stride
                    stride *= decimator.factor
                    count = kept
                }
            }
            output(
                PipelineOutput(
                    values: UnsafeBufferPointer(start: scratch, count: count * channelCount),
                    channelCount: channelCount, source: piece, firstSourceOffset: base, sourceStride: stride))
            start += piece.count
        }
    }
}

/// Processed frames handed out by ``Pipeline/process(_:output:)``, valid only during the call.
public struct PipelineOutput {
    /// Interleaved physical values, `frameCount × channelCount`.
    public let values: UnsafeBufferPointer<Double>
    public let channelCount: Int
    let source: FrameSpan
    let firstSourceOffset: Int
    let sourceStride: Int

    public var frameCount: Int { values.count / channelCount }

    /// Sample index (in the device's input stream) of output frame `k`.
    public func sourceIndex(ofFrame k: Int) -> UInt64 {
        source.indices[firstSourceOffset + k * sourceStride]
    }

    /// Device time of output frame `k`: that of the input sample it was taken at.
    public func deviceTimeNs(ofFrame k: Int) -> UInt64 {
        source.deviceTimesNs[firstSourceOffset + k * sourceStride]
    }
}
