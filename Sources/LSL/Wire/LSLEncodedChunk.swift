import NIOCore

/// One push, encoded once for every inlet: each sample's value bytes, its wire stamp, whether an inlet that
/// received its predecessor may deduce its stamp, and its place in the outlet's sequence of samples.
final class LSLEncodedChunk: Sendable {
    let firstSequence: UInt64
    let stamps: [Double]
    let deducible: [Bool]
    private let values: ByteBuffer
    /// Sample i's values are `values[offsets[i]..<offsets[i + 1]]`.
    private let offsets: [Int]

    var count: Int { stamps.count }

    init(firstSequence: UInt64, samples: LSLSamples, channels: Int, plan: LSLStampPlan) {
        self.firstSequence = firstSequence
        stamps = plan.wire
        deducible = plan.deducible
        var buffer = ByteBufferAllocator().buffer(capacity: max(samples.format.valueSize, 2) * samples.valueCount)
        var offsets = [0]
        offsets.reserveCapacity(plan.wire.count + 1)
        for i in 0..<plan.wire.count {
            LSLSampleEncoder.writeValues(sample: i, of: samples, channels: channels, into: &buffer)
            offsets.append(buffer.writerIndex)
        }
        values = buffer
        self.offsets = offsets
    }

    func sequence(of i: Int) -> UInt64 { firstSequence &+ UInt64(i) }

    /// Writes sample i, deduced only if the inlet's previous sample was its predecessor in the stream.
    func write(sample i: Int, previousSent: UInt64?, into out: inout ByteBuffer) {
        if deducible[i], let previousSent, previousSent &+ 1 == sequence(of: i) {
            out.writeInteger(LSLSampleEncoder.deducedTag)
        } else {
            out.writeInteger(LSLSampleEncoder.transmittedTag)
            out.writeInteger(stamps[i].bitPattern, endianness: .host)
        }
        var slice = values.getSlice(at: offsets[i], length: offsets[i + 1] - offsets[i])!
        out.writeBuffer(&slice)
    }

    /// Bytes sample i takes on the wire at most (with its stamp).
    func maxEncodedSize(of i: Int) -> Int { 9 + offsets[i + 1] - offsets[i] }
}
